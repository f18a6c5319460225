package dev.stevedore.awsproto;

import static dev.stevedore.awsproto.JsonProtocolEndpointTest.assertError;
import static dev.stevedore.awsproto.JsonProtocolEndpointTest.call;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Every class of model violation as ECS requests meet it, with the exact code and message. */
class EcsInputValidationTest {

    private static final ServiceSpec ECS = ServiceSpec.load("ecs-2014-11-13");
    private static final String INVALID = "InvalidParameterException";
    private static final String SERIALIZATION = "SerializationException";

    private final JsonProtocolEndpoint endpoint = new JsonProtocolEndpoint(ECS, ECS.operationNames().stream()
            .collect(Collectors.toMap(name -> name, name -> (JsonOperation) (ctx, input) -> null)));

    private HttpResponse send(String operation, String body) {
        return endpoint.handle(call(operation, body), Signing.ALICE, "us-east-1");
    }

    private void assertInvalid(String operation, String body, String message) {
        assertError(send(operation, body), 400, INVALID, message);
    }

    private void assertMistyped(String operation, String body, String message) {
        assertError(send(operation, body), 400, SERIALIZATION, message);
    }

    @Test
    void validRequestsPass() {
        assertThat(send("RunTask", """
                {"taskDefinition": "web:3", "count": 2, "launchType": "FARGATE", "enableExecuteCommand": true,
                 "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1000, "base": 0}],
                 "tags": [{"key": "team", "value": "a b:c/d=e+f-g@h"}],
                 "overrides": {"containerOverrides": [{"name": "app", "environment": [{"name": "A", "value": "1"}]}]},
                 "someFutureMember": {"anything": [1, 2, 3]}}""").status()).isEqualTo(200);
    }

    @Test
    void missingRequiredMember() {
        assertInvalid("DescribeTaskDefinition", "{}",
                "1 validation error detected: Value null at 'taskDefinition' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void explicitNullCountsAsMissing() {
        assertInvalid("DescribeTaskDefinition", "{\"taskDefinition\": null}",
                "1 validation error detected: Value null at 'taskDefinition' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void missingRequiredMemberInsideAList() {
        assertInvalid("PutAttributes", "{\"attributes\": [{\"name\": \"a\"}, {\"value\": \"v\"}]}",
                "1 validation error detected: Value null at 'attributes.2.member.name' failed to satisfy constraint: "
                        + "Member must not be null");
    }

    @Test
    void nullListElement() {
        assertInvalid("DescribeTasks", "{\"tasks\": [\"t1\", null]}",
                "1 validation error detected: Value null at 'tasks.2.member' failed to satisfy constraint: "
                        + "Member must not be null");
    }

    @Test
    void stringTooLong() {
        String key = "k".repeat(129);
        assertInvalid("TagResource", "{\"resourceArn\": \"arn\", \"tags\": [{\"key\": \"" + key + "\", \"value\": \"v\"}]}",
                "1 validation error detected: Value '" + key + "' at 'tags.1.member.key' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 128");
    }

    @Test
    void stringTooShort() {
        assertInvalid("TagResource", "{\"resourceArn\": \"arn\", \"tags\": [{\"key\": \"\"}]}",
                "1 validation error detected: Value '' at 'tags.1.member.key' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to 1");
    }

    @Test
    void stringLengthCountsCodePoints() {
        String emoji = "\uD83D\uDE80".repeat(128);
        assertThat(send("TagResource", "{\"resourceArn\": \"arn\", \"tags\": [{\"key\": \"" + emoji + "\"}]}").status())
                .isEqualTo(400);
        String letters = "\u00e9".repeat(128);
        assertThat(send("TagResource", "{\"resourceArn\": \"arn\", \"tags\": [{\"key\": \"" + letters + "\"}]}").status())
                .isEqualTo(200);
    }

    @Test
    void patternMismatch() {
        assertInvalid("TagResource", "{\"resourceArn\": \"arn\", \"tags\": [{\"key\": \"k\", \"value\": \"a&b\"}]}",
                "1 validation error detected: Value 'a&b' at 'tags.1.member.value' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: ([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)");
    }

    @Test
    void listTooLong() {
        String tags = IntStream.rangeClosed(1, 51).mapToObj(i -> "{\"key\": \"k" + i + "\"}")
                .collect(Collectors.joining(", ", "[", "]"));
        String rendered = IntStream.rangeClosed(1, 51).mapToObj(i -> "{key=k" + i + "}")
                .collect(Collectors.joining(", ", "[", "]"));

        assertInvalid("TagResource", "{\"resourceArn\": \"arn\", \"tags\": " + tags + "}",
                "1 validation error detected: Value '" + rendered + "' at 'tags' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 50");
    }

    @Test
    void numberAboveMaximum() {
        assertInvalid("RunTask", "{\"taskDefinition\": \"t\", \"capacityProviderStrategy\": "
                        + "[{\"capacityProvider\": \"FARGATE\", \"weight\": 1001}]}",
                "1 validation error detected: Value '1001' at 'capacityProviderStrategy.1.member.weight' failed to "
                        + "satisfy constraint: Member must have value less than or equal to 1000");
    }

    @Test
    void numberBelowMinimum() {
        assertInvalid("RunTask", "{\"taskDefinition\": \"t\", \"capacityProviderStrategy\": "
                        + "[{\"capacityProvider\": \"FARGATE\", \"base\": -1}]}",
                "1 validation error detected: Value '-1' at 'capacityProviderStrategy.1.member.base' failed to "
                        + "satisfy constraint: Member must have value greater than or equal to 0");
    }

    @Test
    void doubleRange() {
        assertInvalid("CreateDaemon", "{\"daemonName\": \"d\", \"daemonTaskDefinitionArn\": \"arn\", "
                        + "\"capacityProviderArns\": [], \"deploymentConfiguration\": {\"drainPercent\": 100.5}}",
                "1 validation error detected: Value '100.5' at 'deploymentConfiguration.drainPercent' failed to "
                        + "satisfy constraint: Member must have value less than or equal to 100.0");
    }

    @Test
    void enumValue() {
        assertInvalid("ListTasks", "{\"desiredStatus\": \"DONE\"}",
                "1 validation error detected: Value 'DONE' at 'desiredStatus' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [RUNNING, PENDING, STOPPED]");
    }

    @Test
    void severalViolationsAreReportedTogether() {
        assertInvalid("ListAttributes", "{\"targetType\": \"task\", \"attributeName\": \"n\", \"cluster\": \"c\"}",
                "1 validation error detected: Value 'task' at 'targetType' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [container-instance]");
        assertInvalid("TagResource", "{\"tags\": [{\"key\": \"\", \"value\": \"%\"}]}",
                "3 validation errors detected: Value null at 'resourceArn' failed to satisfy constraint: "
                        + "Member must not be null; Value '' at 'tags.1.member.key' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to 1; Value '%' at 'tags.1.member.value' "
                        + "failed to satisfy constraint: Member must satisfy regular expression pattern: "
                        + "([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)");
    }

    @Test
    void stringWhereIntegerExpected() {
        assertMistyped("RunTask", "{\"taskDefinition\": \"t\", \"count\": \"2\"}",
                "STRING_VALUE can not be converted to an Integer at 'count'");
    }

    @Test
    void fractionWhereIntegerExpected() {
        assertMistyped("RunTask", "{\"taskDefinition\": \"t\", \"count\": 1.5}",
                "Numeric value (1.5) is not a whole number at 'count'");
        assertThat(send("RunTask", "{\"taskDefinition\": \"t\", \"count\": 2.0}").status()).isEqualTo(200);
    }

    @Test
    void integerOutOfRange() {
        assertMistyped("RunTask", "{\"taskDefinition\": \"t\", \"count\": 2147483648}",
                "Numeric value (2147483648) out of range of integer at 'count'");
    }

    @Test
    void numberBeyondEveryTypeIsOutOfRange() {
        // The parser reads 1e400 as an infinite double, which has no exact value.
        assertMistyped("RunTask", "{\"taskDefinition\": \"t\", \"count\": 1e400}",
                "Numeric value (Infinity) out of range of integer at 'count'");
        assertMistyped("UpdateTaskSet", "{\"cluster\": \"c\", \"service\": \"s\", \"taskSet\": \"t\", "
                        + "\"scale\": {\"unit\": \"PERCENT\", \"value\": -1e400}}",
                "Numeric value (-Infinity) out of range of double at 'scale.value'");
    }

    @Test
    void epochSecondsNoInstantHasAreRefused() {
        assertMistyped("SubmitTaskStateChange", "{\"pullStartedAt\": 1e20}", "Invalid timestamp 1.0E20 at 'pullStartedAt'");
    }

    @Test
    void numberWhereStringExpected() {
        assertMistyped("RunTask", "{\"taskDefinition\": 3}", "NUMBER_VALUE can not be converted to a String at 'taskDefinition'");
    }

    @Test
    void stringWhereBooleanExpected() {
        assertMistyped("RunTask", "{\"taskDefinition\": \"t\", \"enableExecuteCommand\": \"true\"}",
                "STRING_VALUE can not be converted to a Boolean at 'enableExecuteCommand'");
    }

    @Test
    void objectWhereListExpected() {
        assertMistyped("RunTask", "{\"taskDefinition\": \"t\", \"tags\": {\"key\": \"k\"}}",
                "Start of structure or map found where not expected at 'tags'");
    }

    @Test
    void listWhereStructureExpected() {
        assertMistyped("RunTask", "{\"taskDefinition\": \"t\", \"overrides\": []}",
                "Start of list found where not expected at 'overrides'");
    }

    @Test
    void scalarWhereStructureExpected() {
        assertMistyped("RunTask", "{\"taskDefinition\": \"t\", \"overrides\": true}",
                "BOOLEAN_VALUE can not be converted to a Structure at 'overrides'");
    }

    @Test
    void wrongTypeInsideMapValue() {
        assertMistyped("RegisterTaskDefinition", "{\"family\": \"f\", \"containerDefinitions\": "
                        + "[{\"name\": \"app\", \"dockerLabels\": {\"tier\": 1}}]}",
                "NUMBER_VALUE can not be converted to a String at 'containerDefinitions.1.member.dockerLabels.tier'");
    }

    @Test
    void stringWhereTimestampExpected() {
        assertMistyped("SubmitTaskStateChange", "{\"pullStartedAt\": \"2024-05-01T12:00:00Z\"}",
                "STRING_VALUE can not be converted to a Timestamp at 'pullStartedAt'");
        assertThat(send("SubmitTaskStateChange", "{\"pullStartedAt\": 1714564800.5}").status()).isEqualTo(200);
    }

    @Test
    void unknownMembersAreIgnoredAtEveryLevel() {
        assertThat(send("RunTask", "{\"taskDefinition\": \"t\", \"x\": 1, \"overrides\": {\"y\": [null]}}").status())
                .isEqualTo(200);
    }

    @Test
    void everyModelledOperationAcceptsAnEmptyBodyOrNamesWhatIsMissing() {
        ECS.operationNames().forEach(operation -> {
            HttpResponse response = send(operation, "{}");
            if (response.status() != 200) {
                Map<String, String> error = Signing.errorBody(response);
                assertThat(error.get("__type")).as(operation).isEqualTo(INVALID);
                assertThat(error.get("message")).as(operation).contains("Member must not be null");
            }
        });
    }
}
