package dev.stevedore.control.secretsmanager;

import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.store.StateStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds a secret by what callers may name it with: its name, its full ARN, or its partial ARN (the
 * ARN without the six random characters). A secret whose scheduled deletion is due is treated as
 * gone: deletion is carried out lazily, the record removed by the first transaction that finds it.
 */
final class SecretDirectory {
    private static final Pattern SUFFIX = Pattern.compile(".*-[A-Za-z0-9]{6}");
    private static final int SUFFIX_LENGTH = 7;

    private SecretDirectory() {
    }

    /** The live secret {@code secretId} names, read under compare-and-set; a due deletion is carried out. */
    static Optional<SecretRecord> find(StoreTx tx, SecretsScope scope, String secretId, Instant now) {
        for (String name : candidateNames(scope, secretId)) {
            Optional<SecretRecord> found = tx.read(scope.secretKey(name), SecretRecord.class);
            if (found.isPresent() && found.get().goneAt(now)) {
                tx.delete(scope.secretKey(name));
                continue;
            }
            if (found.isPresent() && names(found.get(), secretId)) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** The live secret {@code secretId} names, read without a transaction (for access rules). */
    static Optional<SecretRecord> peek(StateStore store, SecretsScope scope, String secretId, Instant now) {
        for (String name : candidateNames(scope, secretId)) {
            Optional<SecretRecord> found = store.get(scope.secretKey(name))
                    .map(kv -> Records.decode(kv.value(), SecretRecord.class));
            if (found.isPresent() && !found.get().goneAt(now) && names(found.get(), secretId)) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** Every live secret of the scope, in name order, without conditions. */
    static List<SecretRecord> all(StoreTx tx, SecretsScope scope, Instant now) {
        return tx.scan(scope.secretsPrefix(), SecretRecord.class).stream().filter(s -> !s.goneAt(now)).toList();
    }

    private static boolean names(SecretRecord secret, String secretId) {
        return secretId.equals(secret.name()) || secretId.equals(secret.arn())
                || secretId.equals(secret.arn().substring(0, secret.arn().length() - SUFFIX_LENGTH));
    }

    private static List<String> candidateNames(SecretsScope scope, String secretId) {
        if (!secretId.startsWith("arn:")) {
            return List.of(secretId);
        }
        if (!secretId.startsWith(scope.arnPrefix())) {
            return List.of();
        }
        String rest = secretId.substring(scope.arnPrefix().length());
        List<String> names = new ArrayList<>();
        if (SUFFIX.matcher(rest).matches()) {
            names.add(rest.substring(0, rest.length() - SUFFIX_LENGTH));
        }
        names.add(rest);
        return names;
    }
}
