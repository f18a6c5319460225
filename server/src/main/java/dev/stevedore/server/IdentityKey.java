package dev.stevedore.server;

import dev.stevedore.control.iam.SecretSealer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * The key that seals the identity system's secrets in the store ({@link SecretSealer}): 256 random
 * bits, base64 in {@code identity.key} in the data directory, readable and writable by its owner
 * only. Kept outside the store so that a copy of the database alone does not reveal a secret.
 *
 * <p>Made on first start. Losing it makes every stored secret unreadable (IAM users' access keys stop
 * working), so an existing file that cannot be read as a key is an error, never replaced; so is one
 * that others may read.
 */
public final class IdentityKey {
    static final String FILE_NAME = "identity.key";
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private IdentityKey() {
    }

    /** The data directory's key, made and stored now if it has none. */
    public static byte[] loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            return read(file);
        }
        byte[] key = new byte[SecretSealer.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        DataDirFiles.writeAtomically(file, Base64.getEncoder().encodeToString(key) + "\n");
        return key;
    }

    private static byte[] read(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(permissions)) {
                throw new IllegalStateException(file + " may be read by others (" + java.nio.file.attribute.PosixFilePermissions.toString(permissions)
                        + "); make it readable by its owner only: chmod 600 " + file);
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(file + " is not a Stevedore identity key (not base64)");
            }
            if (key.length != SecretSealer.KEY_BYTES) {
                throw new IllegalStateException(file + " is not a Stevedore identity key (" + key.length + " bytes, not "
                        + SecretSealer.KEY_BYTES + ")");
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
