package dev.stevedore.agent.engine;

import static dev.stevedore.agent.engine.TestTasks.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stevedore.agent.engine.SecretStores.ParameterValues;
import dev.stevedore.agent.engine.SecretStores.SecretStoreException;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.agent.TaskCredentials;
import dev.stevedore.model.ecs.Secret;
import dev.stevedore.model.ecs.SubmitTaskStateChangeRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Secrets on the real Docker engine: a container gets them as variables, and an agent restart before the task started reads them again. */
class SecretsIT extends EngineITBase {

    private static final String VALUE = "value-" + RUN_ID;
    private static final TaskCredentials EXECUTION = new TaskCredentials("exec-id", TaskCredentials.Role.EXECUTION,
            "arn:aws:iam::000000000000:role/exec", "ASIAEXEC", "execution-secret-key", "execution-token",
            Instant.parse("2030-01-01T00:00:00Z"));

    /** A store that answers nothing: its reader waits until the engine is closed. */
    private static final class UnansweringStores implements SecretStores {
        final CountDownLatch asked = new CountDownLatch(1);

        @Override
        public ParameterValues getParameters(TaskCredentials credentials, String region, List<String> names) {
            asked.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new SecretStoreException("GetParameters failed: interrupted");
        }

        @Override
        public String getSecretString(TaskCredentials credentials, String region, String secretId,
                                      Optional<String> versionStage, Optional<String> versionId) {
            throw new AssertionError("not asked for");
        }
    }

    /**
     * A task whose container exits 0 only when its variable holds the parameter's value, which its
     * definition knows by its SHA-256 only (the definition is in the state file, the value must not be).
     */
    private TaskAssignment checksItsSecret(String arn) {
        String digest;
        try {
            digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(VALUE.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return TestTasks.task(arn, family("secrets"))
                .container(shell("app", "test \"$(printf %s \"$DB_PASSWORD\" | sha256sum | cut -d' ' -f1)\" = " + digest)
                        .secrets(List.of(
                        Secret.builder().name("DB_PASSWORD").valueFrom("/db/password").build())))
                .build().withCredentials(List.of(EXECUTION));
    }

    /** A first engine takes the task and is closed while the task's secrets are being read: nothing was created. */
    private void closedWhileReadingItsSecrets(TaskAssignment task) throws InterruptedException {
        UnansweringStores silent = new UnansweringStores();
        TaskEngine first = startEngine(runtime, reporter, settings(), TaskRoutes.NONE, silent);
        first.apply(desired(task));
        silent.asked.await();
        first.close();
    }

    private int exitCode(String arn) {
        SubmitTaskStateChangeRequest stopped = reporter.taskChange(arn, "STOPPED").orElseThrow();
        return stopped.containers().get(0).exitCode();
    }

    @Test
    void theContainerGetsTheParameterAsAVariable() {
        SecretResolutionTest.FakeStores stores = new SecretResolutionTest.FakeStores();
        stores.parameters.put("/db/password", VALUE);
        TaskEngine engine = startEngine(runtime, reporter, settings(), TaskRoutes.NONE, stores);
        String arn = newTaskArn();

        engine.apply(desired(checksItsSecret(arn)));

        awaitReported(arn, "task STOPPED");
        assertThat(exitCode(arn)).isZero();
        assertThat(stores.calls).containsExactly("GetParameters us-east-1 [/db/password] as ASIAEXEC");
    }

    @Test
    void aTaskNotStartedWhenItsEngineClosedReadsItsSecretsAgainOnceTheControlPlaneNamesIt() throws Exception {
        String arn = newTaskArn();
        TaskAssignment task = checksItsSecret(arn);
        closedWhileReadingItsSecrets(task);
        assertThat(containersOf(arn)).isEmpty();
        String state = Files.readString(new TaskStateStore(dataDir).file(arn));
        assertThat(state).contains("/db/password").doesNotContain(EXECUTION.secretAccessKey());

        SecretResolutionTest.FakeStores stores = new SecretResolutionTest.FakeStores();
        stores.parameters.put("/db/password", VALUE);
        TaskEngine second = startEngine(runtime, reporter, settings(), TaskRoutes.NONE, stores);
        second.apply(desired(task));

        awaitReported(arn, "task STOPPED");
        assertThat(exitCode(arn)).isZero();
        // Read once, with the credentials of the new word: not before it, from the state file, which has none.
        assertThat(stores.calls).containsExactly("GetParameters us-east-1 [/db/password] as ASIAEXEC");
        assertThat(reporter.taskChange(arn, "STOPPED").orElseThrow().reason()).isEqualTo("Essential container in task exited");
        await().until(() -> !Files.readString(new TaskStateStore(dataDir).file(arn)).isEmpty());
        assertThat(Files.readString(new TaskStateStore(dataDir).file(arn))).doesNotContain(VALUE);
    }

    @Test
    void anAdoptedTaskNamedAgainWithoutExecutionRoleCredentialsFailsToStartInsteadOfWaiting() throws Exception {
        String arn = newTaskArn();
        TaskAssignment task = checksItsSecret(arn);
        closedWhileReadingItsSecrets(task);

        SecretResolutionTest.FakeStores stores = new SecretResolutionTest.FakeStores();
        TaskEngine second = startEngine(runtime, reporter, settings(), TaskRoutes.NONE, stores);
        // The same assignment as the state file's, which has no credentials: the control plane could mint none.
        second.apply(desired(task.withCredentials(List.of())));

        awaitReported(arn, "task STOPPED");
        SubmitTaskStateChangeRequest stopped = reporter.taskChange(arn, "STOPPED").orElseThrow();
        assertThat(stopped.reason()).isEqualTo(SecretResolution.REASON + "unable to find execution role credentials");
        assertThat(stores.calls).isEmpty();
        assertThat(containersOf(arn)).isEmpty();
    }
}
