package dev.stevedore.control.sts;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An HMAC-SHA256 key, safe to use from many threads: each MAC is computed on a clone of one
 * initialised {@link Mac}, which is cheaper than initialising a new one.
 */
final class HmacKey {
    private final Mac prototype;

    HmacKey(byte[] key) {
        try {
            prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The key for one purpose derived from this one (HMAC of the purpose's name). */
    HmacKey derive(String purpose) {
        return new HmacKey(mac(purpose.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    byte[] mac(byte[] data) {
        try {
            return ((Mac) prototype.clone()).doFinal(data);
        } catch (CloneNotSupportedException e) {
            synchronized (prototype) {
                return prototype.doFinal(data);
            }
        }
    }
}
