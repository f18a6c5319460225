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

    private static final String THROTTLED = "400 ThrottlingException Rate exceeded";

    /**
     * ListClusters until one is throttled, for at most {@code seconds}: the answers, in order. Fails when
     * none was throttled by then (the machine made fewer calls a second than the bucket refills).
     */
    private static List<String> burstUntilThrottled(EcsClient ecs, int seconds) {
        List<String> answers = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (answers.isEmpty() || !answers.getLast().equals(THROTTLED)) {
            assertThat(System.nanoTime()).as("throttled within %d s", seconds).isLessThan(deadline);
            answers.addAll(burst(ecs, 1));
        }
        return answers;
    }

    private record CliRun(boolean throttled, int exitCode, String stdout) {}

    /** The v2 CLI's ListClusters in standard retry mode, started once other callers have emptied the bucket. */
    private static CliRun listClustersWithTheBucketEmpty(InProcessStevedore stevedore, EcsClient noRetries)
            throws Exception {
        AtomicBoolean hammering = new AtomicBoolean(true);
        java.util.concurrent.CountDownLatch emptied = new java.util.concurrent.CountDownLatch(1);
        List<Thread> hammers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            hammers.add(Thread.ofPlatform().start(() -> {
                while (hammering.get()) {
                    if (burst(noRetries, 1).contains(THROTTLED)) {
                        emptied.countDown();
                    }
                }
            }));
        }
        boolean throttled = false;
        Path out = Files.createTempFile("stevedore-rates-cli", ".json");
        Process cli;
        try {
            // Started before the bucket is empty, the CLI would find a token.
            assertThat(emptied.await(30, TimeUnit.SECONDS)).as("the other callers emptied the bucket").isTrue();
            cli = new AwsCli(stevedore.endpoint().toString()).startRetrying(out, "ecs", "list-clusters");
            try (BufferedReader err = new BufferedReader(new InputStreamReader(cli.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    if (line.contains("ThrottlingException")) {
                        throttled = true;
                        hammering.set(false);
                    }
                }
            }
        } finally {
            hammering.set(false);
            for (Thread hammer : hammers) {
                hammer.join();
            }
        }
        assertThat(cli.waitFor(120, TimeUnit.SECONDS)).as("the CLI finished").isTrue();
        return new CliRun(throttled, cli.exitValue(), Files.readString(out));
    }

    @Test
    void aBurstPastTheCategoryIsThrottledAndStandardRetriesRecover() throws Exception {
        try (InProcessStevedore stevedore = InProcessStevedore.start(Files.createTempDirectory("stevedore-rates"),
                config -> config.withEdgeLimits(EdgeLimits.defaults().withServiceRequestRates(true)));
             EcsClient noRetries = stevedore.ecs(b -> b.overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1))));
             EcsClient standard = stevedore.ecs(b -> b.overrideConfiguration(o -> o
                     .retryStrategy(RetryMode.STANDARD)))) {
            // The bucket holds 50 and refills 20 a second: the first 50 pass, calls made faster than the refill
            // meet the throttle (made until they do: on a loaded machine a fixed burst of calls can take longer
            // than the bucket takes to refill), and no more pass than it held plus what it refilled meanwhile.
            long started = System.nanoTime();
            List<String> answers = burstUntilThrottled(noRetries, 30);
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(answers.subList(0, 50)).containsOnly("ok");
            assertThat(answers).containsOnly("ok", THROTTLED);
            assertThat(answers.stream().filter("ok"::equals).count()).as("passed in %.1f s", seconds)
                    .isLessThanOrEqualTo(50 + (long) Math.ceil(20 * seconds) + 1);

            // Another category has its own bucket.
            assertThat(noRetries.listTaskDefinitions().taskDefinitionArns()).isEmpty();

            // Standard mode retries with back-off; a caller making 20 more calls gets every answer.
            for (int i = 0; i < 20; i++) {
                assertThat(standard.listClusters().clusterArns()).contains(stevedore.arn("cluster/default"));
            }

            // The v2 CLI in standard mode too: other callers keep the bucket empty until the CLI has been
            // throttled once, then stop, and the CLI's retry gets through. The bucket refills a token every
            // 50 ms and the CLI's first call can still win one from the callers on a loaded machine; such a
            // run proves nothing about retries, so it is repeated, every run having to succeed.
            boolean sawThrottling = false;
            for (int run = 1; run <= 5 && !sawThrottling; run++) {
                CliRun cli = listClustersWithTheBucketEmpty(stevedore, noRetries);
                assertThat(cli.exitCode()).as("run %d exit code", run).isZero();
                assertThat(cli.stdout()).contains(stevedore.arn("cluster/default"));
                sawThrottling = cli.throttled();
            }
            assertThat(sawThrottling).as("the CLI was throttled in one of 5 runs").isTrue();
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
