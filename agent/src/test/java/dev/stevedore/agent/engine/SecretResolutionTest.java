package dev.stevedore.agent.engine;

import static dev.stevedore.agent.engine.TestTasks.container;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.agent.engine.SecretStores.ParameterValues;
import dev.stevedore.agent.engine.SecretStores.SecretStoreException;
import dev.stevedore.agent.runtime.HealthStatus;
import dev.stevedore.agent.runtime.RegistryAuth;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.agent.TaskCredentials;
import dev.stevedore.model.ecs.LogConfiguration;
import dev.stevedore.model.ecs.RepositoryCredentials;
import dev.stevedore.model.ecs.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Reading a task's secrets at its start: what is asked of which store, what the containers get, why a task fails. */
class SecretResolutionTest {

    private static final String ARN = TestTasks.ACCOUNT_PREFIX + "task/c/5ec2e75";
    private static final String SECRET = "arn:aws:secretsmanager:us-east-1:000000000000:secret:db-AbCdEf";
    private static final String OTHER_REGION_PARAMETER = "arn:aws:ssm:eu-west-1:000000000000:parameter/remote";
    private static final TaskCredentials EXECUTION = new TaskCredentials("exec-id", TaskCredentials.Role.EXECUTION,
            "arn:aws:iam::000000000000:role/exec", "ASIAEXEC", "secret-key", "token", Instant.parse("2030-01-01T00:00:00Z"));

    /** A store of fixed values that records every call, by Region. */
    static final class FakeStores implements SecretStores {
        final Map<String, String> parameters = new HashMap<>();
        final Map<String, String> secrets = new HashMap<>();
        final List<String> calls = new ArrayList<>();
        Optional<String> refusal = Optional.empty();

        @Override
        public ParameterValues getParameters(TaskCredentials credentials, String region, List<String> names) {
            calls.add("GetParameters " + region + " " + names + " as " + credentials.accessKeyId());
            refusal.ifPresent(r -> {
                throw new SecretStoreException(r);
            });
            Map<String, String> found = new HashMap<>();
            List<String> invalid = new ArrayList<>();
            names.forEach(n -> {
                if (parameters.containsKey(n)) {
                    found.put(n, parameters.get(n));
                } else {
                    invalid.add(n);
                }
            });
            return new ParameterValues(found, invalid);
        }

        @Override
        public String getSecretString(TaskCredentials credentials, String region, String secretId,
                                      Optional<String> versionStage, Optional<String> versionId) {
            calls.add("GetSecretValue " + region + " " + secretId + " " + versionStage.orElse("-") + " " + versionId.orElse("-"));
            refusal.ifPresent(r -> {
                throw new SecretStoreException(r);
            });
            String value = secrets.get(secretId + ":" + versionStage.orElse("AWSCURRENT"));
            if (value == null) {
                throw new SecretStoreException("ResourceNotFoundException: Secrets Manager can't find the specified secret."
                        + " status code: 400, request id: r-1");
            }
            return value;
        }
    }

    private final FakeStores stores = new FakeStores();

    private static Secret secret(String name, String valueFrom) {
        return Secret.builder().name(name).valueFrom(valueFrom).build();
    }

    private static TaskAssignment withExecutionRole(TaskAssignment a) {
        return a.withCredentials(List.of(EXECUTION));
    }

    private static TaskPlan plan(TaskAssignment a) {
        return TaskPlan.of(a, "instance", Duration.ofSeconds(30));
    }

    private SecretResolution.Outcome resolve(TaskAssignment a) {
        return resolve(TaskRecord.fresh(a), a);
    }

    private SecretResolution.Outcome resolve(TaskRecord r, TaskAssignment a) {
        return SecretResolution.resolve(r, plan(a), "us-east-1", stores);
    }

    private static ResolvedSecrets resolved(SecretResolution.Outcome outcome) {
        assertThat(outcome).isInstanceOf(SecretResolution.Outcome.Resolved.class);
        return ((SecretResolution.Outcome.Resolved) outcome).secrets();
    }

    private static String failure(SecretResolution.Outcome outcome) {
        assertThat(outcome).isInstanceOf(SecretResolution.Outcome.Failed.class);
        return ((SecretResolution.Outcome.Failed) outcome).reason();
    }

    @Test
    void parametersAndJsonKeysBecomeEachContainersVariablesReadOncePerSecretWithTheExecutionRole() {
        stores.parameters.put("/db/password", "p4ss");
        stores.parameters.put(OTHER_REGION_PARAMETER, "far");
        stores.secrets.put(SECRET + ":AWSCURRENT", "{\"user\":\"admin\",\"port\":5432,\"tls\":true}");
        TaskAssignment a = withExecutionRole(TestTasks.task(ARN, "web")
                .container(container("app").secrets(List.of(secret("DB_PASSWORD", "/db/password"),
                        secret("DB_USER", SECRET + ":user::"), secret("DB_PORT", SECRET + ":port::"),
                        secret("REMOTE", OTHER_REGION_PARAMETER))))
                .container(container("side").secrets(List.of(secret("WHOLE", SECRET), secret("TLS", SECRET + ":tls::")))
                        .logConfiguration(LogConfiguration.builder().logDriver("json-file")
                                .secretOptions(List.of(secret("labels", "/db/password"))).build()))
                .build());

        ResolvedSecrets secrets = resolved(resolve(a));

        assertThat(secrets.environmentOf("app")).containsExactly(Map.entry("DB_PASSWORD", "p4ss"),
                Map.entry("DB_USER", "admin"), Map.entry("DB_PORT", "5432"), Map.entry("REMOTE", "far"));
        assertThat(secrets.environmentOf("side")).containsExactly(
                Map.entry("WHOLE", "{\"user\":\"admin\",\"port\":5432,\"tls\":true}"), Map.entry("TLS", "true"));
        assertThat(secrets.logOptionsOf("side")).containsExactly(Map.entry("labels", "p4ss"));
        assertThat(stores.calls).containsExactly(
                "GetParameters us-east-1 [/db/password] as ASIAEXEC",
                "GetParameters eu-west-1 [" + OTHER_REGION_PARAMETER + "] as ASIAEXEC",
                "GetSecretValue us-east-1 " + SECRET + " - -");
        assertThat(secrets.toString()).doesNotContain("p4ss").doesNotContain("admin").doesNotContain("far");
    }

    @Test
    void parametersAreAskedForTenNamesACall() {
        List<Secret> many = IntStream.range(0, 23).mapToObj(i -> secret("V" + i, "/p/" + i)).toList();
        IntStream.range(0, 23).forEach(i -> stores.parameters.put("/p/" + i, "v" + i));
        TaskAssignment a = withExecutionRole(TestTasks.task(ARN, "web").container(container("app").secrets(many)).build());

        ResolvedSecrets secrets = resolved(resolve(a));

        assertThat(secrets.environmentOf("app")).hasSize(23).containsEntry("V22", "v22");
        assertThat(stores.calls).hasSize(3);
        assertThat(stores.calls.get(2)).isEqualTo("GetParameters us-east-1 [/p/20, /p/21, /p/22] as ASIAEXEC");
    }

    @Test
    void aVersionStageOrIdIsAskedForAndRegistryCredentialsComeFromTheirSecret() {
        stores.secrets.put(SECRET + ":AWSPREVIOUS", "{\"password\":\"old\"}");
        stores.secrets.put("registry:AWSCURRENT", "{\"username\":\"puller\",\"password\":\"pw\"}");
        TaskAssignment a = withExecutionRole(TestTasks.task(ARN, "web")
                .container(container("app").secrets(List.of(secret("OLD", SECRET + ":password:AWSPREVIOUS:")))
                        .repositoryCredentials(RepositoryCredentials.builder().credentialsParameter("registry").build()))
                .build());

        ResolvedSecrets secrets = resolved(resolve(a));

        assertThat(secrets.environmentOf("app")).containsExactly(Map.entry("OLD", "old"));
        assertThat(secrets.registryAuthOf("app")).contains(new RegistryAuth("puller", "pw"));
        assertThat(stores.calls).containsExactly("GetSecretValue us-east-1 " + SECRET + " AWSPREVIOUS -",
                "GetSecretValue us-east-1 registry - -");
    }

    @Test
    void containersAlreadyCreatedNeedNothing() {
        TaskAssignment a = withExecutionRole(TestTasks.task(ARN, "web")
                .container(container("app").secrets(List.of(secret("DB_PASSWORD", "/db/password")))).build());
        TaskRecord created = TaskRecord.fresh(a).withContainers(c -> c.created("ecs-app", "id-app").running(HealthStatus.NONE, List.of()));

        assertThat(SecretResolution.needed(TaskRecord.fresh(a), plan(a))).isTrue();
        assertThat(SecretResolution.needed(created, plan(a))).isFalse();
        assertThat(resolved(resolve(created, a))).isEqualTo(ResolvedSecrets.NONE);
        assertThat(stores.calls).isEmpty();
    }

    @Test
    void aMissingParameterFailsTheTaskNamingIt() {
        stores.parameters.put("/there", "x");
        TaskAssignment a = withExecutionRole(TestTasks.task(ARN, "web").container(container("app").secrets(List.of(
                secret("A", "/there"), secret("B", "/missing")))).build());

        assertThat(failure(resolve(a))).isEqualTo("ResourceInitializationError: unable to pull secrets or registry auth: "
                + "execution resource retrieval failed: unable to retrieve secrets from ssm: invalid parameters: /missing");
    }

    @Test
    void aRefusalIsQuotedInEcssWords() {
        stores.refusal = Optional.of("AccessDeniedException: User: arn:aws:sts::000000000000:assumed-role/exec/5ec2e75 is not"
                + " authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:us-east-1:000000000000:parameter/db"
                + " status code: 400, request id: r-2");
        TaskAssignment a = withExecutionRole(TestTasks.task(ARN, "web")
                .container(container("app").secrets(List.of(secret("DB", "/db")))).build());

        assertThat(failure(resolve(a))).isEqualTo("ResourceInitializationError: unable to pull secrets or registry auth: "
                + "execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried"
                + " 1 time(s): " + stores.refusal.get());
    }

    @Test
    void aMissingSecretIsQuotedWithItsArn() {
        TaskAssignment a = withExecutionRole(TestTasks.task(ARN, "web")
                .container(container("app").secrets(List.of(secret("DB", SECRET)))).build());

        assertThat(failure(resolve(a))).isEqualTo("ResourceInitializationError: unable to pull secrets or registry auth: "
                + "execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried"
                + " 1 time(s): failed to fetch secret " + SECRET + " from secrets manager: ResourceNotFoundException: "
                + "Secrets Manager can't find the specified secret. status code: 400, request id: r-1");
    }

    @Test
    void aJsonKeyThatIsNotThereOrASecretThatIsNotJsonFailsWithoutQuotingTheSecret() {
        stores.secrets.put(SECRET + ":AWSCURRENT", "{\"user\":\"admin-value\"}");
        TaskAssignment missingKey = withExecutionRole(TestTasks.task(ARN, "web")
                .container(container("app").secrets(List.of(secret("P", SECRET + ":password::")))).build());
        assertThat(failure(resolve(missingKey))).endsWith(
                "unable to retrieve secret from asm: retrieved secret from Secrets Manager did not contain json key password")
                .doesNotContain("admin-value");

        stores.secrets.put(SECRET + ":AWSCURRENT", "plain-secret-value");
        assertThat(failure(resolve(missingKey))).contains("is not a JSON object").doesNotContain("plain-secret-value");
    }

    @Test
    void registryCredentialsWithoutAUserNameOrPasswordAreRefusedInTheEcsAgentsWords() {
        TaskAssignment a = withExecutionRole(TestTasks.task(ARN, "web").container(container("app")
                .repositoryCredentials(RepositoryCredentials.builder().credentialsParameter("registry").build())).build());
        stores.secrets.put("registry:AWSCURRENT", "{\"username\":\"puller\"}");
        assertThat(failure(resolve(a))).endsWith("asm fetching password: AuthorizationData is malformed, empty field");
        stores.secrets.put("registry:AWSCURRENT", "not json at all");
        assertThat(failure(resolve(a))).endsWith(
                "asm fetching authorization data: unable to unmarshal secret value, invalid schema");
    }

    @Test
    void withoutExecutionRoleCredentialsNothingIsAskedAndTheTaskFails() {
        TaskAssignment a = TestTasks.task(ARN, "web")
                .container(container("app").secrets(List.of(secret("DB", "/db")))).build();

        assertThat(failure(resolve(a))).isEqualTo("ResourceInitializationError: unable to pull secrets or registry auth: "
                + "execution resource retrieval failed: unable to find execution role credentials");
        assertThat(stores.calls).isEmpty();
    }

    @Test
    void anInvalidSecretArnFailsTheTask() {
        TaskAssignment a = withExecutionRole(TestTasks.task(ARN, "web")
                .container(container("app").secrets(List.of(secret("DB", SECRET + ":only-a-key")))).build());

        assertThat(failure(resolve(a))).endsWith("trying to retrieve secret with value " + SECRET + ":only-a-key resulted "
                + "in error: an invalid ARN format for the AWS Secrets Manager secret was specified. Specify a valid ARN "
                + "and try again.");
    }
}
