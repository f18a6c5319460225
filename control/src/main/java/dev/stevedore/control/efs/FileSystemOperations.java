package dev.stevedore.control.efs;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ec2.AvailabilityZones;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.efs.CreateFileSystemRequest;
import dev.stevedore.model.efs.DeleteFileSystemRequest;
import dev.stevedore.model.efs.DescribeFileSystemsRequest;
import dev.stevedore.model.efs.DescribeFileSystemsResponse;
import dev.stevedore.model.efs.FileSystemDescription;
import dev.stevedore.model.efs.PerformanceMode;
import dev.stevedore.model.efs.Tag;
import dev.stevedore.model.efs.ThroughputMode;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CreateFileSystem, DescribeFileSystems and DeleteFileSystem. A creation token is a key of its own that
 * names the file system it made, written in the same transaction, so two calls with one token make
 * one file system and the second is told its id.
 */
final class FileSystemOperations {
    private static final int DEFAULT_MAX_ITEMS = 100;

    private final StateStore store;
    private final Clock clock;

    FileSystemOperations(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateFileSystem", Operations.typed(CreateFileSystemRequest.class, this::create),
                "DescribeFileSystems", Operations.typed(DescribeFileSystemsRequest.class, this::describe),
                "DeleteFileSystem", Operations.typed(DeleteFileSystemRequest.class, this::delete));
    }

    /** The token's key holds the id of the file system it made. */
    record TokenClaim(String fileSystemId) {
    }

    FileSystemDescription create(CallContext ctx, CreateFileSystemRequest r) {
        EfsScope scope = EfsScope.of(ctx);
        String performance = Optional.ofNullable(r.performanceMode()).orElse(PerformanceMode.GENERAL_PURPOSE);
        String throughput = Optional.ofNullable(r.throughputMode()).orElse(ThroughputMode.BURSTING);
        double provisioned = provisionedThroughput(throughput, r.provisionedThroughputInMibps());
        boolean encrypted = Boolean.TRUE.equals(r.encrypted());
        if (r.kmsKeyId() != null && !encrypted) {
            throw EfsErrors.badRequest("KmsKeyId can only be specified when Encrypted is true.");
        }
        if (PerformanceMode.MAX_IO.equals(performance) && ThroughputMode.ELASTIC.equals(throughput)) {
            throw EfsErrors.badRequest("Elastic throughput mode is not supported with Max I/O performance mode.");
        }
        Optional<AvailabilityZones.Zone> zone = Optional.ofNullable(r.availabilityZoneName()).map(name ->
                AvailabilityZones.byName(scope.region(), name).orElseThrow(() ->
                        EfsErrors.SPEC.error("UnsupportedAvailabilityZone",
                                "The availability zone '" + name + "' is not supported.")));
        if (zone.isPresent() && PerformanceMode.MAX_IO.equals(performance)) {
            throw EfsErrors.badRequest("One Zone file systems do not support Max I/O performance mode.");
        }
        List<Tag> tags = EfsTags.checked(Optional.ofNullable(r.tags()).orElse(List.of()));
        // One Zone file systems have automatic backups on unless asked otherwise, Regional ones off.
        boolean backup = Optional.ofNullable(r.backup()).orElse(zone.isPresent());
        Instant now = clock.instant();
        String id = EfsIds.newId("fs");
        StoredFileSystem fs = new StoredFileSystem(id, r.creationToken(), now, performance, throughput, provisioned,
                encrypted, encrypted ? Optional.ofNullable(r.kmsKeyId()).orElse(defaultKey(scope)) : "",
                zone.map(AvailabilityZones.Zone::name).orElse(""), zone.map(AvailabilityZones.Zone::id).orElse(""),
                tags, StoredFileSystem.CREATING, "", List.of(), backup ? "ENABLED" : "DISABLED",
                StoredFileSystem.EMPTY_SIZE, now);
        return StoreTx.run(store, tx -> {
            Optional<TokenClaim> claimed = tx.read(scope.creationToken(r.creationToken()), TokenClaim.class);
            if (claimed.isPresent()) {
                throw EfsErrors.fileSystemAlreadyExists(claimed.get().fileSystemId(), r.creationToken());
            }
            tx.put(scope.creationToken(r.creationToken()), new TokenClaim(id));
            tx.put(scope.fileSystem(id), fs);
            return FileSystemViews.describe(scope, fs, 0);
        });
    }

    private static double provisionedThroughput(String mode, Double mibps) {
        if (ThroughputMode.PROVISIONED.equals(mode)) {
            if (mibps == null) {
                throw EfsErrors.badRequest("ProvisionedThroughputInMibps is required when ThroughputMode is provisioned.");
            }
            return mibps;
        }
        if (mibps != null) {
            throw EfsErrors.badRequest("ProvisionedThroughputInMibps can only be specified when ThroughputMode is "
                    + "provisioned.");
        }
        return 0;
    }

    // The account's EFS-managed key, named by its alias as the account has no key of its own here.
    private static String defaultKey(EfsScope scope) {
        return "arn:aws:kms:" + scope.region() + ":" + scope.accountId() + ":alias/aws/elasticfilesystem";
    }

    DescribeFileSystemsResponse describe(CallContext ctx, DescribeFileSystemsRequest r) {
        EfsScope scope = EfsScope.of(ctx);
        if (r.fileSystemId() != null && r.creationToken() != null) {
            throw EfsErrors.badRequest("Specify either FileSystemId or CreationToken, not both.");
        }
        FileSystemStore fileSystems = new FileSystemStore(store, scope);
        List<StoredFileSystem> chosen;
        if (r.fileSystemId() != null) {
            String id = EfsIds.fileSystemId(r.fileSystemId());
            chosen = List.of(fileSystems.find(id).orElseThrow(() -> EfsErrors.fileSystemNotFound(id)));
        } else {
            chosen = fileSystems.all().stream()
                    .filter(fs -> r.creationToken() == null || r.creationToken().equals(fs.creationToken()))
                    .sorted(Comparator.comparing(StoredFileSystem::creationTime).thenComparing(StoredFileSystem::fileSystemId))
                    .toList();
        }
        Pages.Page<StoredFileSystem> page = Pages.page(chosen, StoredFileSystem::fileSystemId, r.marker(), r.maxItems(),
                DEFAULT_MAX_ITEMS);
        Map<String, Integer> mountTargets = fileSystems.mountTargetCounts();
        return DescribeFileSystemsResponse.builder()
                .fileSystems(page.items().stream().map(fs -> FileSystemViews.describe(scope, fs,
                        mountTargets.getOrDefault(fs.fileSystemId(), 0))).toList())
                .marker(r.marker())
                .nextMarker(page.nextOrNull())
                .build();
    }

    Object delete(CallContext ctx, DeleteFileSystemRequest r) {
        EfsScope scope = EfsScope.of(ctx);
        String id = EfsIds.fileSystemId(r.fileSystemId());
        StoreTx.run(store, tx -> {
            StoredFileSystem fs = tx.read(scope.fileSystem(id), StoredFileSystem.class)
                    .orElseThrow(() -> EfsErrors.fileSystemNotFound(id));
            boolean mounted = tx.scan(scope.mountTargets(), StoredMountTarget.class).stream()
                    .anyMatch(mt -> mt.fileSystemId().equals(id));
            if (mounted) {
                throw EfsErrors.fileSystemInUse(id);
            }
            // Its access points go with it; the volume and the record go once the storage controller
            // has removed the volume, so a file system is never gone while its data still is.
            for (StoredAccessPoint ap : tx.scan(scope.accessPoints(), StoredAccessPoint.class)) {
                if (ap.fileSystemId().equals(id)) {
                    tx.delete(scope.accessPoint(ap.accessPointId()));
                    tx.delete(scope.clientToken(ap.clientToken()));
                }
            }
            if (!StoredFileSystem.DELETING.equals(fs.lifeCycleState())) {
                tx.put(scope.fileSystem(id), fs.withState(StoredFileSystem.DELETING));
            }
            return null;
        });
        return null;
    }
}
