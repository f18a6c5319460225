package dev.stevedore.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real AWS CLI v2 (Debian's {@code /usr/bin/aws}), run as a user would, isolated from any
 * profile on the machine.
 */
final class AwsCli {
    static final Path BINARY = Path.of("/usr/bin/aws");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String endpoint;
    private final String region;
    private final Map<String, String> credentials;

    AwsCli(String endpoint) {
        this(endpoint, InProcessStevedore.REGION);
    }

    /** A CLI whose default Region ({@code AWS_DEFAULT_REGION}) is {@code region}. */
    AwsCli(String endpoint, String region) {
        this(endpoint, region, Map.of("AWS_ACCESS_KEY_ID", InProcessStevedore.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", InProcessStevedore.SECRET_KEY));
    }

    private AwsCli(String endpoint, String region, Map<String, String> credentials) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("AWS CLI v2 not found at " + BINARY + ": run bin/setup-test-env");
        }
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = Map.copyOf(credentials);
    }

    /** The same CLI signing with other keys (an IAM user's), or temporary credentials with their token. */
    AwsCli as(String accessKeyId, String secretAccessKey, java.util.Optional<String> sessionToken) {
        Map<String, String> keys = new java.util.HashMap<>(Map.of("AWS_ACCESS_KEY_ID", accessKeyId,
                "AWS_SECRET_ACCESS_KEY", secretAccessKey));
        sessionToken.ifPresent(token -> keys.put("AWS_SESSION_TOKEN", token));
        return new AwsCli(endpoint, region, keys);
    }

    /** What one CLI run printed and how it ended. */
    record Result(int exitCode, String stdout, String stderr) {
        JsonNode json() {
            try {
                return JSON.readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError("CLI printed no JSON: " + stdout + "\n" + stderr, e);
            }
        }
    }

    /** A CLI run not yet started, with only the test's credentials and Region in its environment. */
    ProcessBuilder command(String... args) {
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--endpoint-url", endpoint,
                "--output", "json", "--no-cli-pager"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.putAll(credentials);
        env.put("AWS_DEFAULT_REGION", region);
        env.put("AWS_CONFIG_FILE", "/nonexistent/stevedore-test-config");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/stevedore-test-credentials");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_PAGER", "");
        return pb;
    }

    /**
     * A {@code --debug} run in the standard retry mode with up to 10 attempts, started, its answer going to
     * {@code stdout}: its stderr tells each attempt and what it was answered.
     */
    Process startRetrying(java.nio.file.Path stdout, String... args) throws java.io.IOException {
        List<String> debug = new ArrayList<>(List.of("--debug"));
        debug.addAll(List.of(args));
        ProcessBuilder pb = command(debug.toArray(String[]::new)).redirectOutput(stdout.toFile());
        pb.environment().put("AWS_RETRY_MODE", "standard");
        pb.environment().put("AWS_MAX_ATTEMPTS", "10");
        Process cli = pb.start();
        cli.getOutputStream().close();
        return cli;
    }

    Result run(String... args) {
        ProcessBuilder pb = command(args);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("aws " + String.join(" ", args) + " did not finish");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run the AWS CLI", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs a command that must succeed and returns its JSON output. */
    JsonNode ok(String... args) {
        Result r = run(args);
        if (r.exitCode() != 0) {
            throw new AssertionError("aws " + String.join(" ", args) + " failed (" + r.exitCode() + "): " + r.stderr());
        }
        return r.stdout().isBlank() ? JSON.createObjectNode() : r.json();
    }

    /** Runs a command that must fail with the service's {@code code}, as the CLI prints it; returns its stderr. */
    String fails(String code, String... args) {
        Result r = run(args);
        if (r.exitCode() == 0) {
            throw new AssertionError("aws " + String.join(" ", args) + " succeeded, expected " + code + ": " + r.stdout());
        }
        if (!r.stderr().contains("An error occurred (" + code + ")")) {
            throw new AssertionError("aws " + String.join(" ", args) + " failed otherwise than with " + code + ": "
                    + r.stderr());
        }
        return r.stderr();
    }
}
