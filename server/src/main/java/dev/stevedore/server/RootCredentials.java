package dev.stevedore.server;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;

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

    /** The pair {@code up} uses: from the environment, else the stored one, else a new one stored now. */
    public static RootCredentials resolve(Map<String, String> env, Path dataDir) {
        return existing(env, dataDir).orElseGet(() -> generate(dataDir));
    }

    /**
     * The pair {@code up} would use, without ever making one: from the environment, else the one
     * stored in {@code dataDir}; empty when neither is there (then {@code up} has not run with it).
     */
    public static Optional<RootCredentials> existing(Map<String, String> env, Path dataDir) {
        String id = env.get("STEVEDORE_ACCESS_KEY_ID");
        String secret = env.get("STEVEDORE_SECRET_ACCESS_KEY");
        if (id != null && !id.isBlank() && secret != null && !secret.isBlank()) {
            return Optional.of(new RootCredentials(id, secret, Source.ENVIRONMENT));
        }
        if (id != null || secret != null) {
            throw new IllegalArgumentException(
                    "Set both STEVEDORE_ACCESS_KEY_ID and STEVEDORE_SECRET_ACCESS_KEY, or neither.");
        }
        return readStored(dataDir);
    }

    /** The stored pair, if this data directory has one. */
    public static Optional<RootCredentials> readStored(Path dataDir) {
        return DataDirFiles.read(dataDir.resolve(FILE_NAME)).map(p -> new RootCredentials(
                p.getProperty("accessKeyId"), p.getProperty("secretAccessKey"), Source.DATA_DIRECTORY));
    }

    private static RootCredentials generate(Path dataDir) {
        SecureRandom random = new SecureRandom();
        RootCredentials created = new RootCredentials("AKIA" + randomString(random, KEY_CHARS, 16),
                randomString(random, SECRET_CHARS, 40), Source.GENERATED);
        DataDirFiles.writeAtomically(dataDir.resolve(FILE_NAME), "# Root credentials of this Stevedore data directory.\n"
                + "accessKeyId=" + created.accessKeyId() + "\n"
                + "secretAccessKey=" + created.secretAccessKey() + "\n");
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
