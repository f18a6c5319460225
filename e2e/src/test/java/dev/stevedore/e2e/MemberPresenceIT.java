package dev.stevedore.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.agent.host.AgentConfig;
import dev.stevedore.agent.host.AgentHost;
import dev.stevedore.agent.runtime.DockerContainerRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every rule of {@code MEMBER-PRESENCE.md} checked on the AWS CLI's output of the same call on
 * Stevedore: the members ECS always sends are there (empty or not), the ones it leaves out are not.
 * Tasks run on a real agent and the local Docker engine, as the reference examples' tasks did.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@UsesDockerEngineAlone
class MemberPresenceIT {
    static final String IMAGE = "stevedore-test/busybox:latest";
    static final Path RULES = Path.of(System.getProperty("stevedore.member.rules", "../MEMBER-PRESENCE.md"));

    InProcessStevedore stevedore;
    DockerContainerRuntime docker;
    AgentHost agent;
    AwsCli aws;
    /** Each operation's response, made once by its scenario. */
    final Map<String, JsonNode> responses = new LinkedHashMap<>();

    /** One row of the table. */
    record Rule(String operation, String objects, List<String> always, List<String> leftOut) {
    }

    @BeforeAll
    void start() throws Exception {
        Path root = Files.createTempDirectory("stevedore-presence");
        stevedore = InProcessStevedore.start(root.resolve("server"));
        docker = DockerContainerRuntime.connectDefault();
        agent = AgentHost.start(AgentConfig.of(stevedore.endpoint(), InProcessStevedore.REGION,
                AgentCredentials.of(InProcessStevedore.ACCESS_KEY, InProcessStevedore.SECRET_KEY), "default",
                root.resolve("agent")), docker, Clock.systemUTC());
        aws = new AwsCli(stevedore.plane.endpoint());
        await().atMost(Duration.ofSeconds(30)).until(() -> aws.ok("ecs", "describe-container-instances",
                "--container-instances", agent.containerInstanceArn()).at("/containerInstances/0/agentConnected")
                .asBoolean());
    }

    @AfterAll
    void stop() {
        if (aws != null) {
            aws.ok("ecs", "list-tasks").get("taskArns").forEach(arn -> aws.run("ecs", "stop-task", "--task", arn.asText()));
        }
        if (agent != null) {
            agent.close();
        }
        if (stevedore != null) {
            stevedore.close();
            Docker.removeCluster(stevedore.arn("cluster/default"));
        }
        if (docker != null) {
            docker.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyRuleHoldsForStevedoresAnswer() throws IOException {
        Map<String, Supplier<JsonNode>> scenarios = scenarios();
        List<Rule> rules = rules();
        assertThat(rules).hasSizeGreaterThan(30);
        return rules.stream().map(rule -> DynamicTest.dynamicTest(rule.operation() + " " + rule.objects(), () -> {
            assertThat(scenarios).as("a scenario for %s", rule.operation()).containsKey(rule.operation());
            JsonNode response = responses.computeIfAbsent(rule.operation(), op -> scenarios.get(op).get());
            List<JsonNode> objects = select(response, rule.objects());
            assertThat(objects).as("%s in %s", rule.objects(), response).isNotEmpty();
            for (JsonNode object : objects) {
                List<String> names = names(object);
                assertThat(names).as("%s %s: %s", rule.operation(), rule.objects(), object).containsAll(rule.always());
                assertThat(names).as("%s %s: %s", rule.operation(), rule.objects(), object)
                        .filteredOn(rule.leftOut()::contains).isEmpty();
            }
        }));
    }

    /** The calls, made with the AWS CLI as a user would, in an order that lets later ones use earlier ones. */
    private Map<String, Supplier<JsonNode>> scenarios() {
        Map<String, Supplier<JsonNode>> s = new LinkedHashMap<>();
        String definition = "[{\"name\":\"main\",\"image\":\"" + IMAGE + "\",\"memory\":16,"
                + "\"command\":[\"sleep\",\"300\"],\"stopTimeout\":2}]";
        s.put("CreateCluster", () -> aws.ok("ecs", "create-cluster", "--cluster-name", "presence",
                "--tags", "key=team,value=a"));
        s.put("DescribeClusters", () -> {
            aws.ok("ecs", "create-cluster", "--cluster-name", "presence", "--tags", "key=team,value=a");
            return aws.ok("ecs", "describe-clusters", "--clusters", "presence");
        });
        s.put("DeleteCluster", () -> {
            aws.ok("ecs", "create-cluster", "--cluster-name", "presence-gone");
            return aws.ok("ecs", "delete-cluster", "--cluster", "presence-gone");
        });
        s.put("ListClusters", () -> aws.ok("ecs", "list-clusters"));
        s.put("RegisterTaskDefinition", () -> aws.ok("ecs", "register-task-definition", "--family", "presence",
                "--container-definitions", definition));
        s.put("DescribeTaskDefinition", () -> {
            aws.ok("ecs", "register-task-definition", "--family", "presence", "--container-definitions", definition);
            return aws.ok("ecs", "describe-task-definition", "--task-definition", "presence");
        });
        s.put("DeregisterTaskDefinition", () -> {
            aws.ok("ecs", "register-task-definition", "--family", "presence-old", "--container-definitions", definition);
            return aws.ok("ecs", "deregister-task-definition", "--task-definition", "presence-old:1");
        });
        s.put("ListTaskDefinitions", () -> aws.ok("ecs", "list-task-definitions", "--family-prefix", "nothing"));
        s.put("ListTaskDefinitionFamilies", () -> aws.ok("ecs", "list-task-definition-families", "--family-prefix",
                "nothing"));
        s.put("RunTask", () -> {
            aws.ok("ecs", "register-task-definition", "--family", "presence-run", "--container-definitions", definition);
            return aws.ok("ecs", "run-task", "--task-definition", "presence-run");
        });
        s.put("DescribeTasks", () -> {
            String arn = responses.computeIfAbsent("RunTask", op -> s.get(op).get()).at("/tasks/0/taskArn").asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> "RUNNING".equals(
                    aws.ok("ecs", "describe-tasks", "--tasks", arn).at("/tasks/0/lastStatus").asText()));
            return aws.ok("ecs", "describe-tasks", "--tasks", arn);
        });
        s.put("ListTasks", () -> aws.ok("ecs", "list-tasks", "--started-by", "nobody"));
        s.put("StartTask", () -> aws.ok("ecs", "start-task", "--task-definition", "presence-run:1",
                "--container-instances", "0123456789abcdef0123456789abcdef"));
        s.put("DescribeContainerInstances", () -> aws.ok("ecs", "describe-container-instances",
                "--container-instances", agent.containerInstanceArn()));
        s.put("ListContainerInstances", () -> aws.ok("ecs", "list-container-instances", "--cluster", "presence"));
        s.put("UpdateContainerInstancesState", () -> aws.ok("ecs", "update-container-instances-state",
                "--container-instances", agent.containerInstanceArn(), "--status", "ACTIVE"));
        s.put("ListAttributes", () -> aws.ok("ecs", "list-attributes", "--target-type", "container-instance",
                "--attribute-name", "nothing"));
        s.put("ListTagsForResource", () -> aws.ok("ecs", "list-tags-for-resource", "--resource-arn",
                stevedore.arn("cluster/default")));
        s.put("ListAccountSettings", () -> aws.ok("ecs", "list-account-settings", "--name", "taskLongArnFormat"));
        s.put("CreateService", () -> {
            aws.ok("ecs", "register-task-definition", "--family", "presence-svc", "--container-definitions", definition);
            return aws.ok("ecs", "create-service", "--cluster", "presence", "--service-name", "presence",
                    "--task-definition", "presence-svc", "--desired-count", "0");
        });
        s.put("DescribeServices", () -> {
            responses.computeIfAbsent("CreateService", op -> s.get(op).get());
            return aws.ok("ecs", "describe-services", "--cluster", "presence", "--services", "presence");
        });
        s.put("ListServices", () -> aws.ok("ecs", "list-services", "--cluster", "default"));
        s.put("GetTaskProtection", () -> {
            responses.computeIfAbsent("CreateService", op -> s.get(op).get());
            return aws.ok("ecs", "get-task-protection", "--cluster", "presence", "--tasks",
                    "0123456789abcdef0123456789abcdef");
        });
        return s;
    }

    /** The rows of the table in {@code MEMBER-PRESENCE.md}. */
    static List<Rule> rules() throws IOException {
        List<Rule> out = new ArrayList<>();
        for (String line : Files.readAllLines(RULES)) {
            if (!line.startsWith("| ") || line.startsWith("| operation") || line.startsWith("|---")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            out.add(new Rule(cells[1].strip(), cells[2].strip(), words(cells[3]), words(cells[4])));
        }
        return out;
    }

    private static List<String> words(String cell) {
        return cell.isBlank() ? List.of() : List.of(cell.strip().split("\\s+"));
    }

    /** {@code response}, {@code a}, {@code a[]}, {@code a.b[]}, {@code a[].b}: the objects the path names. */
    static List<JsonNode> select(JsonNode root, String path) {
        List<JsonNode> current = List.of(root);
        if (path.equals("response")) {
            return current;
        }
        for (String segment : path.split("\\.")) {
            boolean each = segment.endsWith("[]");
            String name = each ? segment.substring(0, segment.length() - 2) : segment;
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                JsonNode child = node.get(name);
                if (child == null) {
                    continue;
                }
                if (each) {
                    child.forEach(next::add);
                } else {
                    next.add(child);
                }
            }
            current = next;
        }
        return current;
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
