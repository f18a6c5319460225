package dev.stevedore.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The account's root access key pair: from {@code STEVEDORE_ACCESS_KEY_ID} /
 * {@code STEVEDORE_SECRET_ACCESS_KEY} when set, otherwise generated once and kept in the data
 * directory (readable by its owner only) so that restarts keep working with the same keys.
 */
public record RootCredentials(String accessKeyId, String secretAccessKey, Source source) {

    /** Where the pair came from; printed so users know which keys to use. */
    public enum Source { ENVIRONMENT, DATA_DIRECTORY, GENERATED }

    static final String FILE_NAME = "root-credentials.properties";
    private static final String KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public static RootCredentials resolve(Map<String, String> env, Path dataDir) {
        String id = env.get("STEVEDORE_ACCESS_KEY_ID");
        String secret = env.get("STEVEDORE_SECRET_ACCESS_KEY");
        if (id != null && !id.isBlank() && secret != null && !secret.isBlank()) {
            return new RootCredentials(id, secret, Source.ENVIRONMENT);
        }
        if (id != null || secret != null) {
            throw new IllegalArgumentException(
                    "Set both STEVEDORE_ACCESS_KEY_ID and STEVEDORE_SECRET_ACCESS_KEY, or neither.");
        }
        return readStored(dataDir).orElseGet(() -> generate(dataDir));
    }

    /** The stored pair, if this data directory has one. */
    public static Optional<RootCredentials> readStored(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return Optional.of(new RootCredentials(p.getProperty("accessKeyId"), p.getProperty("secretAccessKey"),
                Source.DATA_DIRECTORY));
    }

    private static RootCredentials generate(Path dataDir) {
        SecureRandom random = new SecureRandom();
        RootCredentials created = new RootCredentials("AKIA" + randomString(random, KEY_CHARS, 16),
                randomString(random, SECRET_CHARS, 40), Source.GENERATED);
        Path file = dataDir.resolve(FILE_NAME);
        Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
        try {
            Files.createDirectories(dataDir);
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, "# Root credentials of this Stevedore data directory.\n"
                    + "accessKeyId=" + created.accessKeyId() + "\n"
                    + "secretAccessKey=" + created.secretAccessKey() + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return created;
    }

    private static String randomString(SecureRandom random, String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
