package dev.stevedore.control.ecr;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecr.CreateRepositoryRequest;
import dev.stevedore.model.ecr.CreateRepositoryResponse;
import dev.stevedore.model.ecr.DeleteRepositoryRequest;
import dev.stevedore.model.ecr.DeleteRepositoryResponse;
import dev.stevedore.model.ecr.DescribeRepositoriesRequest;
import dev.stevedore.model.ecr.DescribeRepositoriesResponse;
import dev.stevedore.model.ecr.EncryptionConfiguration;
import dev.stevedore.model.ecr.ImageScanningConfiguration;
import dev.stevedore.model.ecr.PutImageScanningConfigurationRequest;
import dev.stevedore.model.ecr.PutImageScanningConfigurationResponse;
import dev.stevedore.model.ecr.PutImageTagMutabilityRequest;
import dev.stevedore.model.ecr.PutImageTagMutabilityResponse;
import dev.stevedore.model.ecr.Repository;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** CreateRepository, DescribeRepositories, DeleteRepository, PutImageTagMutability, PutImageScanningConfiguration. */
final class RepositoryOperations {
    private static final int DEFAULT_PAGE = 100;

    private final StateStore store;
    private final Clock clock;
    private final ImageRegistry registry;

    RepositoryOperations(StateStore store, Clock clock, ImageRegistry registry) {
        this.store = store;
        this.clock = clock;
        this.registry = registry;
    }

    Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateRepository", Operations.typed(CreateRepositoryRequest.class, this::create),
                "DescribeRepositories", Operations.typed(DescribeRepositoriesRequest.class, this::describe),
                "DeleteRepository", Operations.typed(DeleteRepositoryRequest.class, this::delete),
                "PutImageTagMutability", Operations.typed(PutImageTagMutabilityRequest.class, this::putTagMutability),
                "PutImageScanningConfiguration",
                Operations.typed(PutImageScanningConfigurationRequest.class, this::putScanning));
    }

    CreateRepositoryResponse create(CallContext ctx, CreateRepositoryRequest request) {
        EcrScope scope = EcrScope.of(ctx);
        String name = request.repositoryName();
        scope.requireOwnRegistry(request.registryId(), name);
        String mutability = Optional.ofNullable(request.imageTagMutability()).orElse("MUTABLE");
        if (!mutability.equals("MUTABLE") && !mutability.equals("IMMUTABLE")) {
            throw EcrErrors.notImplemented("the image tag mutability " + mutability);
        }
        EncryptionConfiguration encryption = encryption(request.encryptionConfiguration());
        ImageScanningConfiguration scanning = new ImageScanningConfiguration(
                request.imageScanningConfiguration() != null
                        && Boolean.TRUE.equals(request.imageScanningConfiguration().scanOnPush()));
        List<dev.stevedore.model.ecr.Tag> tags = RepositoryTags.checked(request.tags());
        Repository repository = new Repository(clock.instant(), encryption, scanning, mutability, null,
                scope.accountId(), scope.repositoryArn(name), name, null);
        StoreTx.run(store, tx -> {
            if (tx.read(scope.repositoryKey(name), RepositoryRecord.class).isPresent()) {
                throw EcrErrors.repositoryExists(name, scope.accountId());
            }
            tx.put(scope.repositoryKey(name), RepositoryRecord.created(repository, tags));
            return null;
        });
        return new CreateRepositoryResponse(answered(repository));
    }

    /** Without a key, AES256 (ECR's default); KMS keys are recorded as given, nothing is encrypted by them. */
    private static EncryptionConfiguration encryption(EncryptionConfiguration given) {
        if (given == null) {
            return new EncryptionConfiguration("AES256", null);
        }
        if (given.encryptionType().equals("AES256") && given.kmsKey() != null) {
            throw EcrErrors.invalidParameter("Invalid parameter at 'encryptionConfiguration' failed to satisfy"
                    + " constraint: 'KMS key should not be provided when encryption type is AES256'");
        }
        return given;
    }

    DescribeRepositoriesResponse describe(CallContext ctx, DescribeRepositoriesRequest request) {
        EcrScope scope = EcrScope.of(ctx);
        scope.requireOwnRegistry(request.registryId(), "");
        List<String> names = Optional.ofNullable(request.repositoryNames()).orElse(List.of());
        if (!names.isEmpty() && (request.maxResults() != null || request.nextToken() != null)) {
            throw EcrErrors.invalidParameter("Invalid parameter: 'maxResults' and 'nextToken' cannot be used with"
                    + " 'repositoryNames'");
        }
        if (!names.isEmpty()) {
            List<Repository> found = new ArrayList<>();
            StoreTx.run(store, tx -> {
                found.clear();
                for (String name : names) {
                    found.add(answered(ImageLedger.repository(tx, scope, name).repository()));
                }
                return null;
            });
            return new DescribeRepositoriesResponse(null, found);
        }
        List<RepositoryRecord> all = StoreTx.run(store, tx -> tx.scan(scope.repositoriesPrefix(), RepositoryRecord.class));
        Page<RepositoryRecord> page = Page.of(all, RepositoryRecord::name, request.nextToken(),
                Optional.ofNullable(request.maxResults()).orElse(DEFAULT_PAGE));
        return new DescribeRepositoriesResponse(page.nextToken().orElse(null),
                page.items().stream().map(r -> answered(r.repository())).toList());
    }

    DeleteRepositoryResponse delete(CallContext ctx, DeleteRepositoryRequest request) {
        EcrScope scope = EcrScope.of(ctx);
        String name = request.repositoryName();
        scope.requireOwnRegistry(request.registryId(), name);
        boolean force = Boolean.TRUE.equals(request.force());
        List<ImageRecord> images = StoreTx.run(store, tx -> {
            ImageLedger.repository(tx, scope, name);
            List<ImageRecord> held = ImageLedger.images(tx, scope, name);
            if (!held.isEmpty() && !force) {
                throw EcrErrors.repositoryNotEmpty(name, scope.accountId());
            }
            return held;
        });
        // The registry's manifests go first: a failure leaves the repository and its records as they were.
        for (ImageRecord image : images) {
            registry.deleteManifest(name, image.digest());
        }
        Repository deleted = StoreTx.run(store, tx -> {
            RepositoryRecord repository = ImageLedger.repository(tx, scope, name);
            for (ImageRecord image : ImageLedger.images(tx, scope, name)) {
                tx.delete(scope.imageKey(name, image.digest()));
            }
            tx.delete(scope.repositoryKey(name));
            return repository.repository();
        });
        return new DeleteRepositoryResponse(answered(deleted));
    }

    PutImageTagMutabilityResponse putTagMutability(CallContext ctx, PutImageTagMutabilityRequest request) {
        EcrScope scope = EcrScope.of(ctx);
        String name = request.repositoryName();
        scope.requireOwnRegistry(request.registryId(), name);
        String mutability = request.imageTagMutability();
        if (!mutability.equals("MUTABLE") && !mutability.equals("IMMUTABLE")) {
            throw EcrErrors.notImplemented("the image tag mutability " + mutability);
        }
        StoreTx.run(store, tx -> {
            RepositoryRecord repository = ImageLedger.repository(tx, scope, name);
            tx.put(scope.repositoryKey(name), repository.withRepository(
                    repository.repository().toBuilder().imageTagMutability(mutability).build()));
            return null;
        });
        return new PutImageTagMutabilityResponse(mutability, null, scope.accountId(), name);
    }

    PutImageScanningConfigurationResponse putScanning(CallContext ctx, PutImageScanningConfigurationRequest request) {
        EcrScope scope = EcrScope.of(ctx);
        String name = request.repositoryName();
        scope.requireOwnRegistry(request.registryId(), name);
        ImageScanningConfiguration scanning = new ImageScanningConfiguration(
                Boolean.TRUE.equals(request.imageScanningConfiguration().scanOnPush()));
        StoreTx.run(store, tx -> {
            RepositoryRecord repository = ImageLedger.repository(tx, scope, name);
            tx.put(scope.repositoryKey(name), repository.withRepository(
                    repository.repository().toBuilder().imageScanningConfiguration(scanning).build()));
            return null;
        });
        return new PutImageScanningConfigurationResponse(scanning, scope.accountId(), name);
    }

    /** The stored repository with its URI: the registry's address now, then the name. */
    private Repository answered(Repository stored) {
        return stored.toBuilder().repositoryUri(registry.address() + "/" + stored.repositoryName()).build();
    }
}
