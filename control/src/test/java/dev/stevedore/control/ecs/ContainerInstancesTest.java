package dev.stevedore.control.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Registration, draining, attributes and the cluster query language over container instances. */
class ContainerInstancesTest {
    EcsHarness ecs;
    String a;
    String b;
    String c;

    @BeforeEach
    void setUp() {
        ecs = new EcsHarness();
        ecs.call("CreateCluster", "{}");
        a = ecs.registerInstance("default", 2048, 4096, "us-east-1a");
        b = ecs.registerInstance("default", 2048, 4096, "us-east-1b");
        c = ecs.registerInstance("default", 2048, 4096, "us-east-1c");
    }

    List<String> list(String extra) {
        List<String> out = new ArrayList<>();
        ecs.call("ListContainerInstances", "{" + extra + "}").get("containerInstanceArns").forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void registrationDerivesAttributesFromTheIdentityDocument() {
        JsonNode i = ecs.call("DescribeContainerInstances", "{\"containerInstances\": [\"" + a + "\"]}")
                .at("/containerInstances/0");
        assertThat(i.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(i.get("agentConnected").asBoolean()).isTrue();
        assertThat(i.get("ec2InstanceId").asText()).startsWith("i-");
        List<String> attributes = new ArrayList<>();
        i.get("attributes").forEach(x -> attributes.add(x.get("name").asText() + "=" + x.path("value").asText()));
        assertThat(attributes).contains("ecs.availability-zone=us-east-1a", "ecs.instance-type=m5.large");
        assertThat(i.get("registeredResources")).hasSize(4);
    }

    @Test
    void anInstanceRegisteredFromItsIdentityDocumentAloneHasTheResourcesOfItsInstanceType() {
        JsonNode i = ecs.call("RegisterContainerInstance", """
                {"instanceIdentityDocument": "{\\"instanceId\\": \\"i-0123456789abcdef0\\", \\"instanceType\\": \\"m5.xlarge\\", \\"region\\": \\"us-east-1\\", \\"availabilityZone\\": \\"us-east-1d\\"}",
                 "instanceIdentityDocumentSignature": "signed-by-ec2"}""").get("containerInstance");

        assertThat(TasksTest.remaining(i, "CPU")).isEqualTo(4096);
        assertThat(registered(i, "CPU").get("integerValue").asInt()).isEqualTo(4096);
        assertThat(registered(i, "MEMORY").get("integerValue").asInt()).isEqualTo(16 * 1024);
        assertThat(registered(i, "PORTS").get("stringSetValue").toString())
                .isEqualTo("[\"22\",\"2375\",\"2376\",\"51678\",\"51679\"]");
        assertThat(registered(i, "PORTS_UDP").get("stringSetValue")).isEmpty();
        assertThat(i.get("ec2InstanceId").asText()).isEqualTo("i-0123456789abcdef0");
    }

    @Test
    void anUnknownInstanceTypeOrNoResourcesAtAllIsRefusedClearly() {
        var unknown = ecs.fails("RegisterContainerInstance", """
                {"instanceIdentityDocument": "{\\"instanceId\\": \\"i-0123456789abcdef1\\", \\"instanceType\\": \\"m99.huge\\"}"}""",
                "ClientException");
        assertThat(unknown.getMessage()).startsWith("The instance type 'm99.huge' of the instance identity "
                + "document is not an EC2 instance type Stevedore knows");
        var nothing = ecs.fails("RegisterContainerInstance", "{}", "ClientException");
        assertThat(nothing.getMessage()).startsWith("totalResources must include the CPU and MEMORY resources");
    }

    private static JsonNode registered(JsonNode instance, String name) {
        for (JsonNode r : instance.get("registeredResources")) {
            if (r.get("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no registered resource " + name + " in " + instance);
    }

    @Test
    void reRegisteringWithTheArnKeepsTheSameInstance() {
        String again = ecs.call("RegisterContainerInstance", """
                {"containerInstanceArn": "%s", "totalResources": [
                  {"name": "CPU", "type": "INTEGER", "integerValue": 4096},
                  {"name": "MEMORY", "type": "INTEGER", "integerValue": 4096}]}""".formatted(a))
                .at("/containerInstance/containerInstanceArn").asText();
        assertThat(again).isEqualTo(a);
        assertThat(list("")).hasSize(3);
        JsonNode i = ecs.call("DescribeContainerInstances", "{\"containerInstances\": [\"" + a + "\"]}")
                .at("/containerInstances/0");
        assertThat(TasksTest.remaining(i, "CPU")).isEqualTo(4096);
    }

    @Test
    void drainingAndDeregisteredInstancesAreListedByStatus() {
        JsonNode r = ecs.call("UpdateContainerInstancesState", "{\"containerInstances\": [\"" + a + "\", \""
                + "ffffffffffffffffffffffffffffffff\"], \"status\": \"DRAINING\"}");
        assertThat(r.at("/containerInstances/0/status").asText()).isEqualTo("DRAINING");
        assertThat(r.at("/failures/0/reason").asText()).isEqualTo("MISSING");
        assertThat(list("\"status\": \"DRAINING\"")).containsExactly(a);
        ecs.fails("UpdateContainerInstancesState", "{\"containerInstances\": [\"" + a + "\"], \"status\": \"REGISTERING\"}",
                "InvalidParameterException");
        ecs.call("DeregisterContainerInstance", "{\"containerInstance\": \"" + b + "\"}");
        assertThat(list("")).containsExactlyInAnyOrder(a, c);
    }

    @Test
    void drainingInstancesGetNoNewTasks() {
        ecs.call("RegisterTaskDefinition", "{\"family\": \"t\", \"containerDefinitions\": [{\"name\": \"x\", \"image\": \"x\", \"memory\": 16}]}");
        ecs.call("UpdateContainerInstancesState", "{\"containerInstances\": [\"" + a + "\", \"" + b + "\"], \"status\": \"DRAINING\"}");
        JsonNode r = ecs.call("RunTask", "{\"taskDefinition\": \"t\", \"count\": 3}");
        r.get("tasks").forEach(t -> assertThat(t.get("containerInstanceArn").asText()).isEqualTo(c));
    }

    @Test
    void theClusterQueryLanguageFiltersTheListing() {
        assertThat(list("\"filter\": \"attribute:ecs.availability-zone == us-east-1b\"")).containsExactly(b);
        assertThat(list("\"filter\": \"attribute:ecs.availability-zone in [us-east-1a, us-east-1c]\""))
                .containsExactlyInAnyOrder(a, c);
        assertThat(list("\"filter\": \"not(attribute:ecs.availability-zone =~ 'us-east-1[ab]')\"")).containsExactly(c);
        ecs.fails("ListContainerInstances", "{\"filter\": \"attribute:ecs.availability-zone ==\"}", "InvalidParameterException");
    }

    @Test
    void filteredListingsPageWithoutSkippingOrRepeating() {
        List<String> expected = new ArrayList<>(List.of(a, c));
        for (int i = 0; i < 6; i++) {
            String zone = "us-east-1" + (char) ('a' + i % 3);
            String arn = ecs.registerInstance("default", 2048, 4096, zone);
            if (!zone.endsWith("b")) {
                expected.add(arn);
            }
        }
        List<String> listed = new ArrayList<>();
        String token = null;
        do {
            JsonNode page = ecs.call("ListContainerInstances", "{\"filter\": \"attribute:ecs.availability-zone != us-east-1b\", "
                    + "\"maxResults\": 2" + (token == null ? "" : ", \"nextToken\": \"" + token + "\"") + "}");
            assertThat(page.get("containerInstanceArns").size()).isLessThanOrEqualTo(2);
            page.get("containerInstanceArns").forEach(n -> listed.add(n.asText()));
            token = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
        } while (token != null);
        assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);

        ecs.call("RegisterTaskDefinition", "{\"family\": \"t\", \"containerDefinitions\": [{\"name\": \"x\", \"image\": \"x\", \"memory\": 16}]}");
        ecs.call("StartTask", "{\"taskDefinition\": \"t\", \"group\": \"db\", \"containerInstances\": [\"" + c + "\"]}");
        assertThat(list("\"filter\": \"task:group == db\"")).containsExactly(c);
    }

    @Test
    void customAttributesCanBePutListedDeletedAndConstrainPlacement() {
        ecs.call("PutAttributes", "{\"attributes\": [{\"name\": \"stack\", \"value\": \"prod\", \"targetId\": \"" + b + "\"}]}");
        JsonNode listed = ecs.call("ListAttributes", "{\"targetType\": \"container-instance\", \"attributeName\": \"stack\"}");
        assertThat(listed.get("attributes")).hasSize(1);
        assertThat(listed.at("/attributes/0/targetId").asText()).isEqualTo(b);
        assertThat(listed.at("/attributes/0/value").asText()).isEqualTo("prod");

        ecs.call("RegisterTaskDefinition", "{\"family\": \"t\", \"containerDefinitions\": [{\"name\": \"x\", \"image\": \"x\", \"memory\": 16}]}");
        JsonNode r = ecs.call("RunTask", "{\"taskDefinition\": \"t\", \"count\": 4, \"placementConstraints\": "
                + "[{\"type\": \"memberOf\", \"expression\": \"attribute:stack == prod\"}]}");
        assertThat(r.get("tasks")).hasSize(4);
        r.get("tasks").forEach(t -> assertThat(t.get("containerInstanceArn").asText()).isEqualTo(b));

        ecs.call("DeleteAttributes", "{\"attributes\": [{\"name\": \"stack\", \"targetId\": \"" + b + "\"}]}");
        assertThat(ecs.call("ListAttributes", "{\"targetType\": \"container-instance\", \"attributeName\": \"stack\"}")
                .get("attributes")).isEmpty();
        JsonNode none = ecs.call("RunTask", "{\"taskDefinition\": \"t\", \"placementConstraints\": "
                + "[{\"type\": \"memberOf\", \"expression\": \"attribute:stack == prod\"}]}");
        assertThat(none.get("tasks")).isEmpty();
        assertThat(none.at("/failures/0/reason").asText()).isEqualTo("MemberOf placement constraint unsatisfied.");
    }

    @Test
    void attributeLimitsAndUnknownTargetsAreRefusedAndChangeNothing() {
        StringBuilder ten = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            ten.append(i == 0 ? "" : ",").append("{\"name\": \"k").append(i).append("\", \"value\": \"v\", \"targetId\": \"").append(a).append("\"}");
        }
        ecs.call("PutAttributes", "{\"attributes\": [" + ten + "]}");
        ecs.fails("PutAttributes", "{\"attributes\": [{\"name\": \"eleventh\", \"targetId\": \"" + a + "\"}]}",
                "AttributeLimitExceededException");
        ecs.fails("PutAttributes", "{\"attributes\": [{\"name\": \"x\", \"targetId\": \"ffffffffffffffffffffffffffffffff\"}]}",
                "TargetNotFoundException");
        ecs.fails("PutAttributes", "{\"attributes\": [{\"name\": \"bad name!\", \"targetId\": \"" + a + "\"}]}",
                "InvalidParameterException");
        assertThat(ecs.call("ListAttributes", "{\"targetType\": \"container-instance\", \"attributeName\": \"eleventh\"}")
                .get("attributes")).isEmpty();
    }

    @Test
    void spreadAcrossZonesBalancesTasks() {
        ecs.call("RegisterTaskDefinition", "{\"family\": \"t\", \"containerDefinitions\": [{\"name\": \"x\", \"image\": \"x\", \"memory\": 16}]}");
        JsonNode r = ecs.call("RunTask", "{\"taskDefinition\": \"t\", \"count\": 9, \"placementStrategy\": "
                + "[{\"type\": \"spread\", \"field\": \"attribute:ecs.availability-zone\"}]}");
        java.util.Map<String, Integer> perZone = new java.util.HashMap<>();
        r.get("tasks").forEach(t -> perZone.merge(t.get("availabilityZone").asText(), 1, Integer::sum));
        assertThat(perZone).containsOnly(java.util.Map.entry("us-east-1a", 3), java.util.Map.entry("us-east-1b", 3),
                java.util.Map.entry("us-east-1c", 3));
    }

    @Test
    void distinctInstanceNeverSharesAnInstance() {
        ecs.call("RegisterTaskDefinition", "{\"family\": \"t\", \"containerDefinitions\": [{\"name\": \"x\", \"image\": \"x\", \"memory\": 16}]}");
        JsonNode r = ecs.call("RunTask", "{\"taskDefinition\": \"t\", \"count\": 4, \"placementConstraints\": [{\"type\": \"distinctInstance\"}]}");
        assertThat(r.get("tasks")).hasSize(3);
        assertThat(r.at("/failures/0/reason").asText()).isEqualTo("DistinctInstance placement constraint unsatisfied.");
        java.util.Set<String> used = new java.util.HashSet<>();
        r.get("tasks").forEach(t -> assertThat(used.add(t.get("containerInstanceArn").asText())).isTrue());
    }
}
