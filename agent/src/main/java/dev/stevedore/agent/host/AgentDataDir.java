package dev.stevedore.agent.host;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * What the agent keeps about itself in its data directory (the task engine keeps its tasks beside
 * it): the host's instance id, made once, and the container instance it registered as, so that a
 * restarted agent re-registers the same instance instead of making a second one. Files are replaced
 * atomically, so a crash leaves either the old or the new content.
 */
public final class AgentDataDir {
    static final String INSTANCE_ID_FILE = "instance-id";
    static final String REGISTRATION_FILE = "registration.properties";
    /**
     * The task endpoint port of an agent told to take a free one: taken again on the next start when
     * it is still free, because containers with the awslogs driver keep an address naming it.
     */
    static final String ENDPOINT_PORT_FILE = "task-endpoint-port";
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Path dir;

    private AgentDataDir(Path dir) {
        this.dir = dir;
    }

    public static AgentDataDir open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the agent data directory " + dir, e);
        }
        return new AgentDataDir(dir);
    }

    public Path path() {
        return dir;
    }

    /**
     * The host's instance id: {@code requested} when given (and kept from then on), otherwise the
     * one kept here, otherwise a new EC2-style id ({@code i-} and 17 hex digits), kept.
     */
    public String instanceId(Optional<String> requested) {
        Path file = dir.resolve(INSTANCE_ID_FILE);
        Optional<String> kept = read(file).map(String::strip).filter(s -> !s.isEmpty());
        if (requested.isPresent()) {
            String id = requested.get();
            if (!INSTANCE_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("instance id must be 1-64 letters, digits, '.', '_' or '-': " + id);
            }
            if (!kept.equals(requested)) {
                write(file, id + "\n");
            }
            return id;
        }
        if (kept.isPresent()) {
            return kept.get();
        }
        byte[] random = new byte[9];
        new SecureRandom().nextBytes(random);
        String id = "i-" + HexFormat.of().formatHex(random).substring(0, 17);
        write(file, id + "\n");
        return id;
    }

    /** The container instance registered earlier for this cluster and instance id, if any. */
    public Optional<String> registeredInstance(String cluster, String instanceId) {
        return read(dir.resolve(REGISTRATION_FILE)).flatMap(text -> {
            Properties p = new Properties();
            try (Reader in = new java.io.StringReader(text)) {
                p.load(in);
            } catch (IOException e) {
                return Optional.empty();
            }
            if (!cluster.equals(p.getProperty("cluster")) || !instanceId.equals(p.getProperty("instanceId"))) {
                return Optional.empty();
            }
            return Optional.ofNullable(p.getProperty("containerInstanceArn")).filter(s -> !s.isBlank());
        });
    }

    public void saveRegistration(String cluster, String instanceId, String containerInstanceArn) {
        Properties p = new Properties();
        p.setProperty("cluster", cluster);
        p.setProperty("instanceId", instanceId);
        p.setProperty("containerInstanceArn", containerInstanceArn);
        java.io.StringWriter text = new java.io.StringWriter();
        try (Writer out = text) {
            p.store(out, "The container instance this agent registered as; it re-registers the same one.");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(dir.resolve(REGISTRATION_FILE), text.toString());
    }

    /** The task endpoint port a free-port agent took last time, if any. */
    public java.util.OptionalInt keptEndpointPort() {
        return read(dir.resolve(ENDPOINT_PORT_FILE)).map(String::strip).filter(t -> t.matches("[0-9]{1,5}"))
                .map(Integer::parseInt).filter(p -> p > 0 && p <= 65535)
                .map(java.util.OptionalInt::of).orElse(java.util.OptionalInt.empty());
    }

    public void keepEndpointPort(int port) {
        write(dir.resolve(ENDPOINT_PORT_FILE), port + "\n");
    }

    private static Optional<String> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void write(Path file, String content) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
