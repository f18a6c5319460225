package dev.stevedore.control.sts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.control.access.PolicyAuthorizer;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.iam.IamApi;
import dev.stevedore.control.iam.IamDirectory;
import dev.stevedore.control.iam.SecretSealer;
import dev.stevedore.model.agent.TaskCredentials;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.model.ecs.TaskOverride;
import dev.stevedore.store.InMemoryStateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Task role credentials minted over the real IAM records, trust policies and session tokens. */
class TaskRoleSessionsTest {
    static final String ACCOUNT = "123456789012";
    static final Instant NOW = Instant.parse("2026-12-07T05:00:00Z");
    static final String TASK_ARN = "arn:aws:ecs:us-east-1:" + ACCOUNT + ":task/default/0123456789abcdef0123456789abcdef";

    private final InMemoryStateStore store = new InMemoryStateStore();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final IamApi iam = new IamApi(store, clock, new SecretSealer(SessionTokensTest.key(3)));
    private final IamDirectory directory = new IamDirectory(store, iam.identityPolicies());
    private final SessionTokens tokens = new SessionTokens(SessionTokensTest.KEY, clock);
    private final PolicyAuthorizer authorizer = new PolicyAuthorizer(directory, clock);
    private final TaskRoleSessions sessions = new TaskRoleSessions(tokens, directory, authorizer::serviceMayAssume,
            SessionTokensTest.KEY, clock);

    @AfterEach
    void close() {
        directory.close();
        store.close();
    }

    private String role(String name, String service) {
        ObjectNode input = AwsJson.mapper().createObjectNode().put("RoleName", name).put("AssumeRolePolicyDocument",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\""
                        + service + "\"},\"Action\":\"sts:AssumeRole\"}]}");
        iam.operations().get("CreateRole").handle(new CallContext("r", new Principal(ACCOUNT, "AKIAROOT",
                "arn:aws:iam::" + ACCOUNT + ":root"), "CreateRole", "us-east-1"), input);
        return "arn:aws:iam::" + ACCOUNT + ":role/" + name;
    }

    private static TaskDefinition definition(String taskRole, String executionRole) {
        return TaskDefinition.builder().family("web").taskRoleArn(taskRole).executionRoleArn(executionRole).build();
    }

    @Test
    void aTaskRoleTrustingEcsTasksGivesTheTaskAnAssumedRoleSessionNamedAfterTheTask() {
        String app = role("app", "ecs-tasks.amazonaws.com");
        List<TaskCredentials> issued = sessions.issue(Task.builder().taskArn(TASK_ARN).build(), definition(app, null));

        assertThat(issued).singleElement().satisfies(c -> {
            assertThat(c.role()).isEqualTo(TaskCredentials.Role.TASK);
            assertThat(c.roleArn()).isEqualTo(app);
            assertThat(c.expiration()).isEqualTo(NOW.plus(Duration.ofHours(6)));
            Principal session = tokens.find(c.accessKeyId(), Optional.of(c.sessionToken())).orElseThrow().principal();
            assertThat(session.arn()).isEqualTo("arn:aws:sts::" + ACCOUNT
                    + ":assumed-role/app/0123456789abcdef0123456789abcdef");
            assertThat(session.session().orElseThrow().identityArn()).isEqualTo(app);
        });
    }

    @Test
    void theCredentialsIdIsTheSameForEveryIssueOfOneTaskAndRoleAndDiffersOtherwise() {
        String app = role("app", "ecs-tasks.amazonaws.com");
        String exec = role("exec", "ecs-tasks.amazonaws.com");
        Task task = Task.builder().taskArn(TASK_ARN).build();
        List<TaskCredentials> first = sessions.issue(task, definition(app, exec));
        List<TaskCredentials> second = sessions.issue(task, definition(app, exec));
        List<TaskCredentials> other = sessions.issue(Task.builder().taskArn(TASK_ARN + "0").build(), definition(app, exec));

        assertThat(first).extracting(TaskCredentials::role)
                .containsExactly(TaskCredentials.Role.TASK, TaskCredentials.Role.EXECUTION);
        assertThat(second).extracting(TaskCredentials::credentialsId)
                .isEqualTo(first.stream().map(TaskCredentials::credentialsId).toList());
        assertThat(second.get(0).accessKeyId()).isNotEqualTo(first.get(0).accessKeyId());
        assertThat(first.get(0).credentialsId()).isNotEqualTo(first.get(1).credentialsId())
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(other.get(0).credentialsId()).isNotEqualTo(first.get(0).credentialsId());
    }

    @Test
    void anOverrideRoleWinsAndARoleThatDoesNotTrustEcsTasksOrDoesNotExistGivesNothing() {
        String app = role("app", "ecs-tasks.amazonaws.com");
        String other = role("other", "ecs-tasks.amazonaws.com");
        String ec2Only = role("ec2only", "ec2.amazonaws.com");
        Task overridden = Task.builder().taskArn(TASK_ARN)
                .overrides(TaskOverride.builder().taskRoleArn(other).build()).build();

        assertThat(sessions.issue(overridden, definition(app, null))).extracting(TaskCredentials::roleArn)
                .containsExactly(other);
        assertThat(sessions.issue(Task.builder().taskArn(TASK_ARN).build(), definition(ec2Only, null))).isEmpty();
        assertThat(sessions.issue(Task.builder().taskArn(TASK_ARN).build(),
                definition("arn:aws:iam::" + ACCOUNT + ":role/none", null))).isEmpty();
        assertThat(sessions.issue(Task.builder().taskArn(TASK_ARN).build(), definition(null, null))).isEmpty();
    }

    @Test
    void asTheLaunchesTrustItRefusesTheFirstRoleEcsTasksCannotAssumeInEcsWords() {
        String app = role("app", "ecs-tasks.amazonaws.com");
        String ec2Only = role("ec2only", "ec2.amazonaws.com");
        String missing = "arn:aws:iam::" + ACCOUNT + ":role/none";
        EcsScope scope = new EcsScope(ACCOUNT, "us-east-1");

        assertThat(sessions.ecsTasksMayAssume(ACCOUNT, app)).isTrue();
        assertThat(sessions.ecsTasksMayAssume(ACCOUNT, ec2Only)).isFalse();
        assertThat(sessions.ecsTasksMayAssume(ACCOUNT, missing)).isFalse();
        assertThat(sessions.refusal(scope, definition(app, app), null)).isEmpty();
        assertThat(sessions.refusal(scope, definition(app, ec2Only), null)).hasValueSatisfying(message ->
                assertThat(message).startsWith("ECS was unable to assume the role '" + ec2Only + "' that was provided"));
        assertThat(sessions.refusal(scope, definition(missing, app), null)).hasValueSatisfying(message ->
                assertThat(message).contains("'" + missing + "'"));
        assertThat(sessions.refusal(scope, definition(ec2Only, null), TaskOverride.builder().taskRoleArn(app).build()))
                .isEmpty();
    }

    @Test
    void credentialsAreDueForRefreshAtHalfTheirLife() {
        Instant expiry = NOW.plus(Duration.ofHours(6));
        assertThat(sessions.dueForRefresh(expiry, NOW.plus(Duration.ofHours(3)).minusSeconds(1))).isFalse();
        assertThat(sessions.dueForRefresh(expiry, NOW.plus(Duration.ofHours(3)))).isTrue();
    }
}
