package dev.stevedore.agent.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.agent.api.InstanceCredentials;
import dev.stevedore.awsproto.AwsJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The joined agent's credentials in its data directory, so that a restart within their lifetime
 * needs no new token: {@code instance-credentials.json}, readable by its owner only (0600) and
 * replaced atomically (a crash leaves the old or the new keys, never half of them). Beside the keys
 * it keeps when they were obtained (their lifetime, for the next refresh) and the SHA-256 of the
 * join token they came from (not the token), so that a restart with the same command line is told
 * from a new token.
 */
public final class InstanceCredentialsFile {
    static final String NAME = "instance-credentials.json";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /**
     * @param joinTokenDigest the hex SHA-256 of the join token the agent joined with
     */
    public record Kept(InstanceCredentials credentials, String joinTokenDigest) {
        public Kept {
            Objects.requireNonNull(credentials, "credentials");
            Objects.requireNonNull(joinTokenDigest, "joinTokenDigest");
        }
    }

    private final Path file;

    private InstanceCredentialsFile(Path file) {
        this.file = file;
    }

    public static InstanceCredentialsFile in(Path dataDir) {
        return new InstanceCredentialsFile(dataDir.resolve(NAME));
    }

    public Path path() {
        return file;
    }

    /** What identifies a join token in the file. */
    public static String digest(String joinToken) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(joinToken.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * The credentials kept here, if any.
     *
     * @throws JoinException when the file is there but cannot be read as kept credentials
     */
    public Optional<Kept> read() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode json = AwsJson.mapper().readTree(Files.readAllBytes(file));
            if (json == null || !json.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            Instant obtainedAt = Instant.parse(json.path("obtainedAt").asText());
            String digest = json.path("joinTokenDigest").asText();
            return Optional.of(new Kept(InstanceCredentials.fromJson(json, obtainedAt), digest));
        } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
            throw new JoinException("the instance credentials kept in " + file + " cannot be read (" + e.getMessage()
                    + "); delete the file and start the agent with a new join token", e);
        }
    }

    /** Replaces the kept credentials. */
    public void write(Kept kept) {
        ObjectNode json = kept.credentials().toJson();
        json.put("obtainedAt", kept.credentials().obtainedAt().toString());
        json.put("joinTokenDigest", kept.joinTokenDigest());
        byte[] content = AwsJson.toBytes(json);
        Path tmp = file.resolveSibling(NAME + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(tmp);
            // Created owner-only, so the secret is never readable by others, not even before a chmod.
            try (FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
