package dev.stevedore.control.secretsmanager;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.secretsmanager.CreateSecretRequest;
import dev.stevedore.model.secretsmanager.CreateSecretResponse;
import dev.stevedore.model.secretsmanager.DeleteSecretRequest;
import dev.stevedore.model.secretsmanager.DeleteSecretResponse;
import dev.stevedore.model.secretsmanager.GetSecretValueRequest;
import dev.stevedore.model.secretsmanager.GetSecretValueResponse;
import dev.stevedore.model.secretsmanager.PutSecretValueRequest;
import dev.stevedore.model.secretsmanager.PutSecretValueResponse;
import dev.stevedore.model.secretsmanager.RestoreSecretRequest;
import dev.stevedore.model.secretsmanager.RestoreSecretResponse;
import dev.stevedore.model.secretsmanager.UpdateSecretRequest;
import dev.stevedore.model.secretsmanager.UpdateSecretResponse;
import dev.stevedore.store.StateStore;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** CreateSecret, GetSecretValue, PutSecretValue, UpdateSecret, DeleteSecret and RestoreSecret. */
final class SecretOperations {
    private static final String SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** The characters AWS allows in a secret's name. */
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9/_+=.@!-]+");
    private static final long MIN_RECOVERY_DAYS = 7;
    private static final long MAX_RECOVERY_DAYS = 30;

    private final StateStore store;
    private final Clock clock;
    private final SecretValues values;
    private final SecureRandom random = new SecureRandom();

    SecretOperations(StateStore store, Clock clock, SecretValues values) {
        this.store = store;
        this.clock = clock;
        this.values = values;
    }

    Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateSecret", Operations.typed(CreateSecretRequest.class, this::create),
                "GetSecretValue", Operations.typed(GetSecretValueRequest.class, this::getValue),
                "PutSecretValue", Operations.typed(PutSecretValueRequest.class, this::putValue),
                "UpdateSecret", Operations.typed(UpdateSecretRequest.class, this::update),
                "DeleteSecret", Operations.typed(DeleteSecretRequest.class, this::delete),
                "RestoreSecret", Operations.typed(RestoreSecretRequest.class, this::restore));
    }

    CreateSecretResponse create(CallContext ctx, CreateSecretRequest request) {
        SecretsScope scope = SecretsScope.of(ctx);
        if (!VALID_NAME.matcher(request.name()).matches()) {
            throw AwsException.clientError("ValidationException", "Invalid name. Must be a valid name containing "
                    + "alphanumeric characters, or any of the following: -/_+=.@!");
        }
        if (request.addReplicaRegions() != null) {
            // Saying yes and not replicating would mislead whoever counts on the replica.
            throw SecretsManagerErrors.invalidRequest("Stevedore does not replicate secrets to other Regions.");
        }
        Optional<SecretValues.Value> value = SecretValues.Value.of(request.secretString(), request.secretBinary());
        String versionId = Optional.ofNullable(request.clientRequestToken()).orElseGet(() -> UUID.randomUUID().toString());
        String arn = scope.arnPrefix() + request.name() + "-" + suffix();
        return StoreTx.run(store, tx -> {
            Instant now = clock.instant();
            Optional<SecretRecord> existing = SecretDirectory.find(tx, scope, request.name(), now);
            if (existing.isPresent()) {
                return retriedCreate(existing.get(), request, value, versionId);
            }
            SecretRecord secret = new SecretRecord(arn, request.name(), request.description(), now, now,
                    SecretTags.merge(List.of(), request.tags()), List.of(), null);
            if (value.isPresent()) {
                secret = secret.withVersion(values.seal(arn, versionId, value.get(), List.of(SecretStages.CURRENT), now), now);
            }
            tx.put(scope.secretKey(request.name()), secret);
            return new CreateSecretResponse(arn, secret.name(), null, value.isPresent() ? versionId : null);
        });
    }

    /** A CreateSecret repeated with the token and value of the version it made is answered as before. */
    private CreateSecretResponse retriedCreate(SecretRecord existing, CreateSecretRequest request,
                                               Optional<SecretValues.Value> value, String versionId) {
        if (existing.deletion().isPresent()) {
            throw SecretsManagerErrors.invalidRequest(
                    "You can't create this secret because a secret with this name is already scheduled for deletion.");
        }
        Optional<SecretVersion> version = existing.version(versionId);
        if (request.clientRequestToken() == null || version.isEmpty() || value.isEmpty()) {
            throw SecretsManagerErrors.exists(request.name());
        }
        if (!values.open(existing.arn(), version.get()).sameAs(value.get())) {
            throw SecretsManagerErrors.versionExists();
        }
        return new CreateSecretResponse(existing.arn(), existing.name(), null, versionId);
    }

    GetSecretValueResponse getValue(CallContext ctx, GetSecretValueRequest request) {
        SecretsScope scope = SecretsScope.of(ctx);
        SecretRecord secret = StoreTx.run(store, tx -> live(tx, scope, request.secretId()));
        SecretVersion version = chosenVersion(secret, request.versionId(), request.versionStage());
        SecretValues.Value value = values.open(secret.arn(), version);
        return new GetSecretValueResponse(secret.arn(), version.createdDate(), secret.name(),
                value.bytes().orElse(null), value.text().orElse(null), version.versionId(), version.stages());
    }

    private static SecretVersion chosenVersion(SecretRecord secret, String versionId, String stage) {
        if (versionId != null) {
            SecretVersion version = secret.version(versionId)
                    .orElseThrow(() -> SecretsManagerErrors.versionNotFound("VersionId", versionId));
            if (stage != null && !version.stages().contains(stage)) {
                throw SecretsManagerErrors.invalidRequest(
                        "You provided a VersionStage that is not associated to the provided VersionId.");
            }
            return version;
        }
        String label = Optional.ofNullable(stage).orElse(SecretStages.CURRENT);
        return secret.staged(label).orElseThrow(() -> SecretsManagerErrors.versionNotFound("staging label", label));
    }

    PutSecretValueResponse putValue(CallContext ctx, PutSecretValueRequest request) {
        SecretsScope scope = SecretsScope.of(ctx);
        SecretValues.Value value = SecretValues.Value.of(request.secretString(), request.secretBinary())
                .orElseThrow(() -> SecretsManagerErrors.invalidRequest("You must provide either SecretString or SecretBinary."));
        String versionId = Optional.ofNullable(request.clientRequestToken()).orElseGet(() -> UUID.randomUUID().toString());
        List<String> stages = Optional.ofNullable(request.versionStages()).orElse(List.of(SecretStages.CURRENT));
        return StoreTx.run(store, tx -> {
            SecretRecord secret = live(tx, scope, request.secretId());
            SecretVersion version = newVersion(secret, versionId, value, stages);
            if (secret.version(versionId).isEmpty()) {
                tx.put(scope.secretKey(secret.name()), secret.withVersion(version, clock.instant()));
            }
            return new PutSecretValueResponse(secret.arn(), secret.name(), versionId, version.stages());
        });
    }

    UpdateSecretResponse update(CallContext ctx, UpdateSecretRequest request) {
        SecretsScope scope = SecretsScope.of(ctx);
        Optional<SecretValues.Value> value = SecretValues.Value.of(request.secretString(), request.secretBinary());
        String versionId = Optional.ofNullable(request.clientRequestToken()).orElseGet(() -> UUID.randomUUID().toString());
        return StoreTx.run(store, tx -> {
            Instant now = clock.instant();
            SecretRecord secret = live(tx, scope, request.secretId());
            SecretRecord updated = request.description() == null ? secret : secret.withDescription(request.description(), now);
            if (value.isPresent()) {
                SecretVersion version = newVersion(secret, versionId, value.get(), List.of(SecretStages.CURRENT));
                if (secret.version(versionId).isEmpty()) {
                    updated = updated.withVersion(version, now);
                }
            }
            if (updated != secret) {
                tx.put(scope.secretKey(secret.name()), updated);
            }
            return new UpdateSecretResponse(secret.arn(), secret.name(), value.isPresent() ? versionId : null);
        });
    }

    /**
     * The version {@code versionId} would be; if it exists already with the same value, that one (the
     * call was a retry), and with another value the call is refused: versions never change.
     */
    private SecretVersion newVersion(SecretRecord secret, String versionId, SecretValues.Value value, List<String> stages) {
        Optional<SecretVersion> existing = secret.version(versionId);
        if (existing.isPresent()) {
            if (!values.open(secret.arn(), existing.get()).sameAs(value)) {
                throw SecretsManagerErrors.versionExists();
            }
            return existing.get();
        }
        return values.seal(secret.arn(), versionId, value, stages, clock.instant());
    }

    DeleteSecretResponse delete(CallContext ctx, DeleteSecretRequest request) {
        SecretsScope scope = SecretsScope.of(ctx);
        boolean force = Boolean.TRUE.equals(request.forceDeleteWithoutRecovery());
        if (force && request.recoveryWindowInDays() != null) {
            throw SecretsManagerErrors.invalidParameter(
                    "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
        }
        long days = Optional.ofNullable(request.recoveryWindowInDays()).orElse(MAX_RECOVERY_DAYS);
        if (days < MIN_RECOVERY_DAYS || days > MAX_RECOVERY_DAYS) {
            throw SecretsManagerErrors.invalidParameter(
                    "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
        }
        return StoreTx.run(store, tx -> {
            Instant now = clock.instant();
            SecretRecord secret = SecretDirectory.find(tx, scope, request.secretId(), now)
                    .orElseThrow(SecretsManagerErrors::notFound);
            if (force) {
                tx.delete(scope.secretKey(secret.name()));
                return new DeleteSecretResponse(secret.arn(), now, secret.name());
            }
            if (secret.deletion().isPresent()) {
                throw SecretsManagerErrors.invalidRequest(
                        "You tried to perform the operation on a secret that's currently marked deleted.");
            }
            Instant due = now.plus(Duration.ofDays(days));
            tx.put(scope.secretKey(secret.name()),
                    secret.withDeletion(new SecretRecord.ScheduledDeletion(now, due), now));
            return new DeleteSecretResponse(secret.arn(), due, secret.name());
        });
    }

    RestoreSecretResponse restore(CallContext ctx, RestoreSecretRequest request) {
        SecretsScope scope = SecretsScope.of(ctx);
        return StoreTx.run(store, tx -> {
            Instant now = clock.instant();
            SecretRecord secret = SecretDirectory.find(tx, scope, request.secretId(), now)
                    .orElseThrow(SecretsManagerErrors::notFound);
            if (secret.deletion().isPresent()) {
                tx.put(scope.secretKey(secret.name()), secret.withDeletion(null, now));
            }
            return new RestoreSecretResponse(secret.arn(), secret.name());
        });
    }

    /** The secret, refused when it is scheduled for deletion (only Describe, List, Delete and Restore see those). */
    static SecretRecord live(StoreTx tx, SecretsScope scope, String secretId, Clock clock) {
        SecretRecord secret = SecretDirectory.find(tx, scope, secretId, clock.instant())
                .orElseThrow(SecretsManagerErrors::notFound);
        if (secret.deletion().isPresent()) {
            throw SecretsManagerErrors.markedForDeletion();
        }
        return secret;
    }

    private SecretRecord live(StoreTx tx, SecretsScope scope, String secretId) {
        return live(tx, scope, secretId, clock);
    }

    private String suffix() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            out.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
        }
        return out.toString();
    }
}
