package dev.stevedore.awsproto;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The AWS CLI v2 run against a test server as Alice, with no configuration or credentials of the
 * machine it runs on.
 */
final class AwsCli {

    private static final Path AWS = Path.of("/usr/bin/aws");

    /** What one run printed and how it ended. */
    record Result(int exitCode, String stdout, String stderr) {
    }

    private AwsCli() {
    }

    /** The CLI when it is installed; tests that need it are skipped otherwise. */
    static Optional<Path> installed() {
        return Files.isExecutable(AWS) ? Optional.of(AWS) : Optional.empty();
    }

    static Result run(URI endpoint, String... args) {
        List<String> command = new ArrayList<>(List.of(AWS.toString(), "--endpoint-url", endpoint.toString(),
                "--region", "us-east-1", "--output", "json", "--no-cli-pager"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", "AKIDALICE");
        env.put("AWS_SECRET_ACCESS_KEY", "alice/secret+key");
        env.put("AWS_CONFIG_FILE", "/nonexistent/stevedore-test-config");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/stevedore-test-credentials");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        try {
            Path out = Files.createTempFile("aws-cli", ".out");
            Path err = Files.createTempFile("aws-cli", ".err");
            try {
                Process process = builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("aws " + String.join(" ", args) + " did not finish");
                }
                return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.delete(out);
                Files.delete(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run the AWS CLI", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
