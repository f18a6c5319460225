package dev.stevedore.e2e;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code stevedore} command line as a user runs it: {@code up} prints what to use, generates
 * credentials once and keeps them, serves the AWS SDK, and stops cleanly on SIGTERM; {@code env}
 * prints the matching shell lines (the port {@code up} used without being told it) and, before any
 * {@code up}, makes no credentials and says to start it.
 */
@UsesDockerEngineAlone
class StevedoreCommandIT {
    private static final Pattern KEY = Pattern.compile("Access key id:\\s+(\\S+)");
    private static final Pattern SECRET = Pattern.compile("Secret access key:\\s+(\\S+)");

    @Test
    void upGeneratesCredentialsOnceServesAndStopsOnSigterm() throws Exception {
        Path dataDir = Files.createTempDirectory("stevedore-cli");
        int port = StevedoreProcess.freePort();
        List<String> first = runUntilReady(dataDir, port, true);
        String banner = String.join("\n", first);
        assertThat(banner).contains("ECS endpoint:      http://127.0.0.1:" + port)
                .contains("Web console:       http://127.0.0.1:" + port + "/console/")
                .contains("aws --endpoint-url http://127.0.0.1:" + port + " ecs list-clusters")
                .contains("generated now");
        String key = group(KEY, banner);
        String secret = group(SECRET, banner);
        assertThat(Files.readString(dataDir.resolve("root-credentials.properties"))).contains(key);

        List<String> second = runUntilReady(dataDir, port, false);
        assertThat(String.join("\n", second)).contains("Access key id:     " + key).contains("kept in the data directory");

        // Without --port: env reads the port up used from the data directory.
        Process env = new ProcessBuilder(java(), "-jar", StevedoreProcess.jar().toString(), "env",
                "--data-dir", dataDir.toString()).start();
        String exports = new String(env.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(env.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(exports).contains("export AWS_ACCESS_KEY_ID=" + key, "export AWS_SECRET_ACCESS_KEY=" + secret,
                "export AWS_ENDPOINT_URL=http://127.0.0.1:" + port);
    }

    @Test
    void envAndResetBeforeUpSayToStartItFirstAndMakeNoCredentials() throws Exception {
        Path dataDir = Files.createTempDirectory("stevedore-cli").resolve("never-started");
        for (String command : List.of("env", "reset")) {
            ProcessBuilder pb = new ProcessBuilder(java(), "-jar", StevedoreProcess.jar().toString(), command,
                    "--data-dir", dataDir.toString()).redirectErrorStream(true);
            pb.environment().remove("STEVEDORE_ACCESS_KEY_ID");
            pb.environment().remove("STEVEDORE_SECRET_ACCESS_KEY");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(command + " exit status").isNotZero();
            assertThat(out).as(command).contains("Start `bin/stevedore up` first", "the same --data-dir as up")
                    .doesNotContain("export AWS_ACCESS_KEY_ID");
        }
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void helpDescribesTheCommands() throws Exception {
        Process help = new ProcessBuilder(java(), "-jar", StevedoreProcess.jar().toString(), "up", "--help")
                .redirectErrorStream(true).start();
        String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(help.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(help.exitValue()).isZero();
        assertThat(text).contains("--port", "--data-dir", "--region", "--account-id", "STEVEDORE_ACCESS_KEY_ID");
    }

    /** Starts {@code up}, reads its banner, checks the SDK works with the printed keys, then SIGTERMs it. */
    private List<String> runUntilReady(Path dataDir, int port, boolean fresh) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(java(), "-jar", StevedoreProcess.jar().toString(), "up",
                "--port", Integer.toString(port), "--data-dir", dataDir.toString(), "--no-registry");
        Map<String, String> env = pb.environment();
        env.remove("STEVEDORE_ACCESS_KEY_ID");
        env.remove("STEVEDORE_SECRET_ACCESS_KEY");
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("Press Ctrl-C")) {
                    break;
                }
            }
            String banner = String.join("\n", lines);
            assertThat(banner).as("banner of a %s start", fresh ? "fresh" : "second").contains("Stevedore is up.");
            try (EcsClient ecs = EcsClient.builder()
                    .endpointOverride(URI.create("http://127.0.0.1:" + port))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(group(KEY, banner), group(SECRET, banner))))
                    .build()) {
                assertThat(ecs.listClusters().clusterArns()).anyMatch(a -> a.endsWith(":cluster/default"));
            }
            p.destroy();  // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("exit status after SIGTERM").isIn(0, 143);
        } catch (IOException e) {
            p.destroyForcibly();
            throw e;
        }
        return lines;
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as(pattern.pattern()).isTrue();
        return m.group(1);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
