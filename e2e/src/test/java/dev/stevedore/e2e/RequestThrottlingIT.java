package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.server.EdgeLimits;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.EcsException;

/**
 * ECS's documented request rates, switched on: a burst past a category's bucket is throttled with ECS's
 * ThrottlingException, other categories are untouched, and the SDK's and the CLI's standard retry modes
 * ride it out. Off (the default), the same burst is never throttled.
 */
class RequestThrottlingIT {

    /** ListClusters beyond the "Cluster read actions" burst of 50: the answers, in order, as "ok" or the error code. */
    private static List<String> burst(EcsClient ecs, int calls) {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            try {
                ecs.listClusters();
                answers.add("ok");
            } catch (EcsException e) {
                answers.add(e.statusCode() + " " + e.awsErrorDetails().errorCode() + " "
                        + e.awsErrorDetails().errorMessage());
            }
        }
        return answers;
    }

    @Test
    void aBurstPastTheCategoryIsThrottledAndStandardRetriesRecover() throws Exception {
        try (InProcessStevedore stevedore = InProcessStevedore.start(Files.createTempDirectory("stevedore-rates"),
                config -> config.withEdgeLimits(EdgeLimits.defaults().withServiceRequestRates(true)));
             EcsClient noRetries = stevedore.ecs(b -> b.overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1))));
             EcsClient standard = stevedore.ecs(b -> b.overrideConfiguration(o -> o
                     .retryStrategy(RetryMode.STANDARD)))) {
            List<String> answers = burst(noRetries, 120);
            // The bucket holds 50 and refills 20 a second: the first 50 pass, and a burst of 120 calls made
            // in well under three seconds cannot all pass.
            assertThat(answers.subList(0, 50)).containsOnly("ok");
            assertThat(answers).contains("400 ThrottlingException Rate exceeded");
            assertThat(answers).containsOnly("ok", "400 ThrottlingException Rate exceeded");

            // Another category has its own bucket.
            assertThat(noRetries.listTaskDefinitions().taskDefinitionArns()).isEmpty();

            // Standard mode retries with back-off; a caller making 20 more calls gets every answer.
            for (int i = 0; i < 20; i++) {
                assertThat(standard.listClusters().clusterArns()).contains(stevedore.arn("cluster/default"));
            }

            // The v2 CLI in standard mode too: another caller keeps the bucket empty until the CLI has been
            // throttled once, then stops, and the CLI's retry gets through.
            AtomicBoolean hammering = new AtomicBoolean(true);
            Thread hammer = Thread.ofPlatform().start(() -> {
                while (hammering.get()) {
                    burst(noRetries, 1);
                }
            });
            Path out = Files.createTempFile("stevedore-rates-cli", ".json");
            Process cli = new AwsCli(stevedore.endpoint().toString()).startRetrying(out, "ecs", "list-clusters");
            boolean sawThrottling = false;
            try (BufferedReader err = new BufferedReader(new InputStreamReader(cli.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    if (line.contains("ThrottlingException")) {
                        sawThrottling = true;
                        hammering.set(false);
                    }
                }
            } finally {
                hammering.set(false);
                hammer.join();
            }
            assertThat(cli.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(sawThrottling).as("the CLI was throttled").isTrue();
            assertThat(cli.exitValue()).isZero();
            assertThat(Files.readString(out)).contains(stevedore.arn("cluster/default"));
        }
    }

    @Test
    void offByDefault() throws Exception {
        try (InProcessStevedore stevedore = InProcessStevedore.start(Files.createTempDirectory("stevedore-rates-off"));
             EcsClient noRetries = stevedore.ecs(b -> b.overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1))))) {
            assertThat(burst(noRetries, 120)).containsOnly("ok");
        }
    }
}
