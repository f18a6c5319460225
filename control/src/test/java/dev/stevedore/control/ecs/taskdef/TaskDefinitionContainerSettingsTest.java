package dev.stevedore.control.ecs.taskdef;

import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.CLIENT;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.EXECUTION_ROLE;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.assertRejected;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.container;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.request;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.valid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.model.ecs.EphemeralStorage;
import dev.stevedore.model.ecs.HealthCheck;
import dev.stevedore.model.ecs.LogConfiguration;
import dev.stevedore.model.ecs.Secret;
import dev.stevedore.model.ecs.TaskDefinitionPlacementConstraint;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Health checks, logging, secrets, placement constraints and ephemeral storage. */
class TaskDefinitionContainerSettingsTest {

    private static HealthCheck.Builder check(String... command) {
        return HealthCheck.builder().command(List.of(command));
    }

    private static HealthCheck storedCheck(HealthCheck given) {
        return valid(request(container("app").healthCheck(given).build())).containerDefinitions().get(0).healthCheck();
    }

    @Test
    void healthCheckGetsTheDefaultIntervalTimeoutAndRetriesButNoStartPeriod() {
        assertThat(storedCheck(check("CMD-SHELL", "curl -f http://localhost/ || exit 1").build()))
                .isEqualTo(check("CMD-SHELL", "curl -f http://localhost/ || exit 1").interval(30).timeout(5).retries(3).build());
    }

    @Test
    void healthCheckKeepsGivenValues() {
        HealthCheck given = check("CMD", "/bin/health").interval(5).timeout(2).retries(10).startPeriod(300).build();
        assertThat(storedCheck(given)).isEqualTo(given);
    }

    @ParameterizedTest
    @CsvSource({"NONE", "curl", "CMD", "CMD-SHELL"})
    void healthCheckCommandMustStartWithCmdOrCmdShellAndSaySomething(String first) {
        assertRejected(request(container("app").healthCheck(check(first).build()).build()), CLIENT,
                "Invalid 'healthCheck.command' setting for container 'app'. The command must start with CMD or CMD-SHELL followed by what to run.");
    }

    @ParameterizedTest
    @CsvSource({"interval,4,5,300", "interval,301,5,300", "timeout,1,2,60", "timeout,61,2,60",
            "retries,0,1,10", "retries,11,1,10", "startPeriod,-1,0,300", "startPeriod,301,0,300"})
    void healthCheckValuesOutsideTheirRangeAreRejected(String member, int value, int min, int max) {
        HealthCheck.Builder given = check("CMD", "true");
        switch (member) {
            case "interval" -> given.interval(value);
            case "timeout" -> given.timeout(value);
            case "retries" -> given.retries(value);
            default -> given.startPeriod(value);
        }
        assertRejected(request(container("app").healthCheck(given.build()).build()), CLIENT,
                "Invalid 'healthCheck." + member + "' setting for container 'app'. The value must be between " + min + " and " + max + ".");
    }

    private static LogConfiguration awslogs(Map<String, String> options) {
        return LogConfiguration.builder().logDriver("awslogs").options(options).build();
    }

    @Test
    void awslogsWithGroupAndRegionIsAccepted() {
        var log = awslogs(Map.of("awslogs-group", "/ecs/web", "awslogs-region", "eu-west-1", "awslogs-stream-prefix", "ecs", "mode", "non-blocking"));
        assertThat(valid(request(container("app").logConfiguration(log).build())).containerDefinitions().get(0).logConfiguration()).isEqualTo(log);
    }

    @Test
    void awslogsWithoutGroupIsRejected() {
        assertRejected(request(container("app").logConfiguration(awslogs(Map.of("awslogs-region", "eu-west-1"))).build()), CLIENT,
                "Log driver awslogs requires options: awslogs-group");
    }

    @Test
    void awslogsWithoutOptionsListsEveryMissingOne() {
        assertRejected(request(container("app").logConfiguration(awslogs(null)).build()), CLIENT,
                "Log driver awslogs requires options: awslogs-region, awslogs-group");
    }

    @Test
    void awslogsWithUnknownOptionIsRejected() {
        var log = awslogs(Map.of("awslogs-group", "g", "awslogs-region", "r", "log_key", "log"));
        assertRejected(request(container("app").logConfiguration(log).build()), CLIENT, "Log driver awslogs disallows options: log_key");
    }

    @Test
    void otherLogDriversTakeAnyOptions() {
        var log = LogConfiguration.builder().logDriver("fluentd").options(Map.of("fluentd-address", "localhost:24224")).build();
        assertThat(valid(request(container("app").logConfiguration(log).build())).containerDefinitions().get(0).logConfiguration()).isEqualTo(log);
    }

    private static final Secret SECRET = Secret.builder().name("DB_PASSWORD").valueFrom("arn:aws:ssm:us-east-1:123456789012:parameter/db").build();

    @Test
    void secretsWithExecutionRoleAreAccepted() {
        var stored = valid(request(container("app").secrets(List.of(SECRET)).build()).executionRoleArn(EXECUTION_ROLE));
        assertThat(stored.containerDefinitions().get(0).secrets()).containsExactly(SECRET);
    }

    @Test
    void secretsWithoutExecutionRoleAreRejected() {
        assertRejected(request(container("app").secrets(List.of(SECRET)).build()), CLIENT,
                "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.");
    }

    @Test
    void evenAnEmptySecretsListNeedsTheExecutionRole() {
        assertRejected(request(container("app").secrets(Collections.emptyList()).build()), CLIENT,
                "When you are specifying container secrets, you must also specify a value for 'executionRoleArn'.");
    }

    private static TaskDefinitionPlacementConstraint memberOf(String expression) {
        return TaskDefinitionPlacementConstraint.builder().type("memberOf").expression(expression).build();
    }

    @Test
    void tenPlacementConstraintsAreAccepted() {
        List<TaskDefinitionPlacementConstraint> ten = Collections.nCopies(10, memberOf("attribute:ecs.os-type == linux"));
        assertThat(valid(request(container("app").build()).placementConstraints(ten)).placementConstraints()).hasSize(10);
    }

    @Test
    void elevenPlacementConstraintsAreRejected() {
        List<TaskDefinitionPlacementConstraint> eleven = Collections.nCopies(11, memberOf("attribute:ecs.os-type == linux"));
        assertRejected(request(container("app").build()).placementConstraints(eleven), CLIENT,
                "Too many placement constraints. A task definition can have at most 10.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void placementConstraintWithoutExpressionIsRejected(String expression) {
        assertRejected(request(container("app").build()).placementConstraints(List.of(memberOf(expression))), CLIENT,
                "A memberOf placement constraint requires an expression.");
    }

    @Test
    void placementConstraintWithAbsentExpressionIsRejected() {
        assertRejected(request(container("app").build()).placementConstraints(List.of(memberOf(null))), CLIENT,
                "A memberOf placement constraint requires an expression.");
    }

    @Test
    void placementConstraintExpressionOver2000CharactersIsRejected() {
        assertRejected(request(container("app").build()).placementConstraints(List.of(memberOf("a".repeat(2001)))), CLIENT,
                "Placement constraint expressions can be at most 2000 characters.");
    }

    @ParameterizedTest
    @ValueSource(ints = {21, 200})
    void ephemeralStorageFrom21To200GibIsAccepted(int size) {
        var storage = EphemeralStorage.builder().sizeInGiB(size).build();
        assertThat(valid(request(container("app").build()).ephemeralStorage(storage)).ephemeralStorage()).isEqualTo(storage);
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 201})
    void ephemeralStorageOutside21To200GibIsRejected(int size) {
        assertRejected(request(container("app").build()).ephemeralStorage(EphemeralStorage.builder().sizeInGiB(size).build()), CLIENT,
                "Invalid 'ephemeralStorage.sizeInGiB' setting for task. The value must be between 21 and 200.");
    }
}
