package dev.stevedore.control.secretsmanager;

import dev.stevedore.control.iam.SecretSealer;

import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Seals secret values before they reach the store, each bound to its secret's ARN and version id so a
 * sealed value copied onto another version does not open.
 */
final class SecretValues {
    private final SecretSealer sealer;

    SecretValues(SecretSealer sealer) {
        this.sealer = sealer;
    }

    /** A value as given: exactly one of a string or bytes. */
    record Value(Optional<String> text, Optional<byte[]> bytes) {
        static Optional<Value> of(String text, byte[] bytes) {
            if (text != null && bytes != null) {
                throw SecretsManagerErrors.invalidParameter(
                        "You can't specify both a binary secret value and a string secret value in the same secret.");
            }
            if (text == null && bytes == null) {
                return Optional.empty();
            }
            return Optional.of(new Value(Optional.ofNullable(text), Optional.ofNullable(bytes)));
        }

        boolean sameAs(Value other) {
            return text.equals(other.text) && Arrays.equals(bytes.orElse(null), other.bytes.orElse(null));
        }
    }

    SecretVersion seal(String arn, String versionId, Value value, java.util.List<String> stages, java.time.Instant now) {
        String clear = value.text().orElseGet(() -> Base64.getEncoder().encodeToString(value.bytes().orElseThrow()));
        return new SecretVersion(versionId, value.bytes().isPresent(), sealer.seal(clear, context(arn, versionId)), stages, now);
    }

    Value open(String arn, SecretVersion version) {
        String clear = sealer.open(version.sealed(), context(arn, version.versionId()));
        return version.binary()
                ? new Value(Optional.empty(), Optional.of(Base64.getDecoder().decode(clear)))
                : new Value(Optional.of(clear), Optional.empty());
    }

    private static String context(String arn, String versionId) {
        return arn + "#" + versionId;
    }
}
