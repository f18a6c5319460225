package dev.stevedore.server.registry;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A self-signed X.509 v3 certificate for an EC P-256 key, written in DER by hand: the registry only
 * needs the public key in its {@code rootcertbundle}, and the JDK has no public API to make one.
 * Subject and issuer are the same common name; no extensions, so Go's verifier accepts it as its own root.
 */
final class SelfSignedCertificate {
    private static final byte[] ECDSA_WITH_SHA256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03, 0x02};
    private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private SelfSignedCertificate() {
    }

    static byte[] create(KeyPair keys, String commonName, Instant notBefore, Instant notAfter, BigInteger serial) {
        byte[] algorithm = der(0x30, ECDSA_WITH_SHA256);
        byte[] name = der(0x30, der(0x31, der(0x30, COMMON_NAME, der(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
        byte[] validity = der(0x30, time(notBefore), time(notAfter));
        byte[] version = der(0xa0, der(0x02, new byte[]{2}));
        byte[] tbs = der(0x30, version, der(0x02, serial.toByteArray()), algorithm, name, validity, name,
                keys.getPublic().getEncoded());
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(tbs);
            byte[] signature = signer.sign();
            byte[] bitString = new byte[signature.length + 1];
            System.arraycopy(signature, 0, bitString, 1, signature.length);
            return der(0x30, tbs, algorithm, der(0x03, bitString));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the registry's token certificate", e);
        }
    }

    private static byte[] time(Instant at) {
        return der(0x17, UTC_TIME.format(at).getBytes(StandardCharsets.US_ASCII));
    }

    /** One DER element: tag, definite length, the parts' bytes. */
    private static byte[] der(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        int length = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else {
            byte[] bytes = BigInteger.valueOf(length).toByteArray();
            int skip = bytes[0] == 0 ? 1 : 0;
            out.write(0x80 | (bytes.length - skip));
            out.write(bytes, skip, bytes.length - skip);
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }
}
