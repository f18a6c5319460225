package dev.stevedore.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every implemented operation through the real AWS CLI v2, as a user types it: the CLI must parse
 * our answers, including errors and automatic pagination.
 */
class AwsCliIT {
    static InProcessStevedore stevedore;
    static AwsCli aws;

    @BeforeAll
    static void start() {
        stevedore = InProcessStevedore.start();
        aws = new AwsCli(stevedore.plane.endpoint());
    }

    @AfterAll
    static void stop() {
        stevedore.close();
    }

    @Test
    void clusterLifecycle() {
        JsonNode created = aws.ok("ecs", "create-cluster", "--cluster-name", "cli-cluster",
                "--tags", "key=owner,value=cli", "--settings", "name=containerInsights,value=enabled");
        assertThat(created.at("/cluster/clusterArn").asText()).isEqualTo(stevedore.arn("cluster/cli-cluster"));
        assertThat(created.at("/cluster/status").asText()).isEqualTo("ACTIVE");

        JsonNode listed = aws.ok("ecs", "list-clusters");
        assertThat(texts(listed.get("clusterArns"))).contains(stevedore.arn("cluster/cli-cluster"),
                stevedore.arn("cluster/default"));

        JsonNode described = aws.ok("ecs", "describe-clusters", "--clusters", "cli-cluster", "missing-one",
                "--include", "TAGS", "SETTINGS", "STATISTICS");
        assertThat(described.at("/clusters/0/tags/0/key").asText()).isEqualTo("owner");
        assertThat(described.at("/clusters/0/settings/0/value").asText()).isEqualTo("enabled");
        assertThat(described.at("/clusters/0/statistics").size()).isGreaterThan(0);
        assertThat(described.at("/failures/0/reason").asText()).isEqualTo("MISSING");

        aws.ok("ecs", "update-cluster-settings", "--cluster", "cli-cluster",
                "--settings", "name=containerInsights,value=disabled");
        aws.ok("ecs", "update-cluster", "--cluster", "cli-cluster",
                "--configuration", "executeCommandConfiguration={logging=DEFAULT}");
        JsonNode withConfig = aws.ok("ecs", "describe-clusters", "--clusters", "cli-cluster", "--include", "CONFIGURATIONS");
        assertThat(withConfig.at("/clusters/0/configuration/executeCommandConfiguration/logging").asText())
                .isEqualTo("DEFAULT");
        JsonNode withCapacity = aws.ok("ecs", "put-cluster-capacity-providers", "--cluster", "cli-cluster",
                "--capacity-providers", "FARGATE", "FARGATE_SPOT",
                "--default-capacity-provider-strategy", "capacityProvider=FARGATE,weight=1");
        assertThat(texts(withCapacity.at("/cluster/capacityProviders"))).containsExactly("FARGATE", "FARGATE_SPOT");

        JsonNode deleted = aws.ok("ecs", "delete-cluster", "--cluster", "cli-cluster");
        assertThat(deleted.at("/cluster/status").asText()).isEqualTo("INACTIVE");
        AwsCli.Result again = aws.run("ecs", "delete-cluster", "--cluster", "cli-cluster");
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.stderr()).contains("ClusterNotFoundException").contains("Cluster not found.");
    }

    @Test
    void taskDefinitionLifecycle() {
        String containers = "[{\"name\":\"web\",\"image\":\"stevedore-test/busybox:latest\",\"memory\":32,"
                + "\"portMappings\":[{\"containerPort\":8080}]}]";
        JsonNode first = aws.ok("ecs", "register-task-definition", "--family", "cli-web",
                "--container-definitions", containers, "--tags", "key=app,value=web");
        assertThat(first.at("/taskDefinition/revision").asInt()).isEqualTo(1);
        assertThat(first.at("/taskDefinition/taskDefinitionArn").asText())
                .isEqualTo(stevedore.arn("task-definition/cli-web:1"));
        // registeredAt arrives as epoch seconds; the CLI turns it into a date-time string.
        assertThat(first.at("/taskDefinition/registeredAt").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*");
        aws.ok("ecs", "register-task-definition", "--family", "cli-web", "--container-definitions", containers);

        JsonNode described = aws.ok("ecs", "describe-task-definition", "--task-definition", "cli-web:1",
                "--include", "TAGS");
        assertThat(described.at("/tags/0/value").asText()).isEqualTo("web");
        assertThat(described.at("/taskDefinition/containerDefinitions/0/portMappings/0/containerPort").asInt())
                .isEqualTo(8080);

        // --max-items makes the CLI page with our nextToken; it must still see every revision.
        JsonNode listed = aws.ok("ecs", "list-task-definitions", "--family-prefix", "cli-web", "--page-size", "1");
        assertThat(texts(listed.get("taskDefinitionArns"))).containsExactly(
                stevedore.arn("task-definition/cli-web:1"), stevedore.arn("task-definition/cli-web:2"));
        assertThat(texts(aws.ok("ecs", "list-task-definition-families", "--family-prefix", "cli-w").get("families")))
                .containsExactly("cli-web");

        JsonNode deregistered = aws.ok("ecs", "deregister-task-definition", "--task-definition", "cli-web:1");
        assertThat(deregistered.at("/taskDefinition/status").asText()).isEqualTo("INACTIVE");
        // Debian's CLI v2 predates delete-task-definitions (2023); TaskDefinitionsIT covers it with the SDK.

        AwsCli.Result missing = aws.run("ecs", "describe-task-definition", "--task-definition", "cli-nothing");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.stderr()).contains("ClientException").contains("Unable to describe task definition.");
    }

    @Test
    void tagsOnTaskDefinitions() {
        aws.ok("ecs", "register-task-definition", "--family", "cli-tags", "--container-definitions",
                "[{\"name\":\"a\",\"image\":\"x\",\"memory\":16}]");
        String arn = stevedore.arn("task-definition/cli-tags:1");
        aws.ok("ecs", "tag-resource", "--resource-arn", arn, "--tags", "key=k1,value=v1", "key=k2,value=v2");
        aws.ok("ecs", "untag-resource", "--resource-arn", arn, "--tag-keys", "k1");
        JsonNode tags = aws.ok("ecs", "list-tags-for-resource", "--resource-arn", arn);
        assertThat(tags.at("/tags").size()).isEqualTo(1);
        assertThat(tags.at("/tags/0/key").asText()).isEqualTo("k2");
    }

    @Test
    void accountSettings() {
        JsonNode put = aws.ok("ecs", "put-account-setting", "--name", "containerInsights", "--value", "enabled");
        assertThat(put.at("/setting/value").asText()).isEqualTo("enabled");
        aws.ok("ecs", "put-account-setting-default", "--name", "awsvpcTrunking", "--value", "enabled");
        JsonNode effective = aws.ok("ecs", "list-account-settings", "--effective-settings");
        List<String> names = new ArrayList<>();
        effective.get("settings").forEach(s -> names.add(s.get("name").asText()));
        assertThat(names).contains("containerInsights", "awsvpcTrunking", "taskLongArnFormat");
        JsonNode one = aws.ok("ecs", "list-account-settings", "--name", "awsvpcTrunking", "--effective-settings");
        assertThat(one.at("/settings/0/value").asText()).isEqualTo("enabled");
        aws.ok("ecs", "delete-account-setting", "--name", "containerInsights");
        JsonNode after = aws.ok("ecs", "list-account-settings", "--name", "containerInsights", "--effective-settings");
        assertThat(after.at("/settings/0/value").asText()).isEqualTo("disabled");
        AwsCli.Result bad = aws.run("ecs", "put-account-setting", "--name", "containerInsights", "--value", "sometimes");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("InvalidParameterException");
    }

    @Test
    void operationsNotBuiltYetAnswerAClearClientError() {
        AwsCli.Result r = aws.run("ecs", "describe-capacity-providers");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("UnsupportedFeatureException").contains("DescribeCapacityProviders");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
