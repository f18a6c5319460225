package dev.stevedore.control.ssm;

import dev.stevedore.control.iam.SecretSealer;
import dev.stevedore.model.ssm.ParameterType;

/**
 * Seals SecureString values before they reach the store, bound to the parameter's ARN and version so a
 * sealed value moved to another parameter or version does not open. Without WithDecryption callers get
 * the sealed form, as SSM hands out the KMS ciphertext: opaque text that says nothing of the value.
 */
final class SecureValues {
    static final String SECURE_STRING = ParameterType.SECURE_STRING;
    private static final String SEAL_PREFIX = "v1:";

    private final SecretSealer sealer;

    SecureValues(SecretSealer sealer) {
        this.sealer = sealer;
    }

    String forStore(String type, String value, String arn, long version) {
        return SECURE_STRING.equals(type) ? sealer.seal(value, context(arn, version)) : value;
    }

    /** The value a caller sees: plain for String and StringList, decrypted or ciphertext for SecureString. */
    String forCaller(String type, String stored, String arn, long version, boolean decrypt) {
        if (!SECURE_STRING.equals(type)) {
            return stored;
        }
        if (decrypt) {
            return sealer.open(stored, context(arn, version));
        }
        return stored.startsWith(SEAL_PREFIX) ? stored.substring(SEAL_PREFIX.length()) : stored;
    }

    private static String context(String arn, long version) {
        return arn + ":" + version;
    }
}
