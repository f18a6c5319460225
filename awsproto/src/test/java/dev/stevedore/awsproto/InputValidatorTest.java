package dev.stevedore.awsproto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validator on a small made-up JSON service that exercises what ECS's model does not. */
class InputValidatorTest {

    static final ServiceSpec TOY = ServiceSpec.parse("toy-2020-01-01", new ByteArrayInputStream("""
            {"metadata": {"protocol": "json", "jsonVersion": "1.0", "targetPrefix": "Toy_20200101",
                          "signingName": "toy", "serviceId": "Toy", "apiVersion": "2020-01-01"},
             "operations": {"Put": {"http": {"method": "POST", "requestUri": "/"}, "input": "PutInput",
                                    "errors": ["Oops"]}},
             "shapes": {
               "PutInput": {"type": "structure", "required": ["Name"], "members": {
                   "Name": {"shape": "Name", "locationName": "name"},
                   "Secret": {"shape": "Secret"},
                   "Labels": {"shape": "Labels"},
                   "Payload": {"shape": "Payload"},
                   "Size": {"shape": "Size"},
                   "At": {"shape": "IsoTime"},
                   "Big": {"shape": "Long"}}},
               "Name": {"type": "string", "min": 3},
               "Secret": {"type": "string", "sensitive": true, "max": 4},
               "Labels": {"type": "map", "key": {"shape": "LabelKey"}, "value": {"shape": "Name"}, "max": 2},
               "LabelKey": {"type": "string", "pattern": "[a-z]+"},
               "Payload": {"type": "blob", "max": 3},
               "Size": {"type": "long", "min": 1},
               "Long": {"type": "long"},
               "IsoTime": {"type": "timestamp", "timestampFormat": "iso8601"},
               "Oops": {"type": "structure", "exception": true, "members": {"Message": {"shape": "Name"}}}}}
            """.getBytes(StandardCharsets.UTF_8)));

    private final InputValidator validator = new InputValidator(TOY, ValidationPolicy.forService(TOY));

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) AwsJson.mapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void assertViolation(String input, String code, String message) {
        assertThatThrownBy(() -> validator.validate("PutInput", json(input)))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void otherServicesGetTheFrameworkDefaultCodes() {
        assertViolation("{}", "ValidationException",
                "1 validation error detected: Value null at 'Name' failed to satisfy constraint: Member must not be null");
        assertViolation("{\"name\": 7}", "SerializationException", "NUMBER_VALUE can not be converted to a String at 'Name'");
    }

    @Test
    void membersAreFoundUnderTheirWireName() {
        ObjectNode input = json("{\"name\": \"abc\", \"Name\": \"x\"}");

        validator.validate("PutInput", input);

        assertThat(input.get("name").asText()).isEqualTo("abc");
    }

    @Test
    void sensitiveValuesAreNotEchoed() {
        assertViolation("{\"name\": \"abc\", \"Secret\": \"hunter2\"}", "ValidationException",
                "1 validation error detected: Value at 'Secret' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 4");
    }

    @Test
    void mapKeysAreCheckedAgainstTheKeyShape() {
        assertViolation("{\"name\": \"abc\", \"Labels\": {\"Tier\": \"web\"}}", "ValidationException",
                "1 validation error detected: Value '{Tier=web}' at 'Labels' failed to satisfy constraint: "
                        + "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-z]+]");
    }

    @Test
    void mapValuesAndSizeAreChecked() {
        assertViolation("{\"name\": \"abc\", \"Labels\": {\"a\": \"x\", \"b\": null, \"c\": \"long\"}}",
                "ValidationException", "3 validation errors detected: Value '{a=x, b=null, c=long}' at 'Labels' "
                        + "failed to satisfy constraint: Member must have length less than or equal to 2; Value 'x' at "
                        + "'Labels.a' failed to satisfy constraint: Member must have length greater than or equal to 3; "
                        + "Value null at 'Labels.b' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void blobsAreBase64WithLengthInBytes() {
        validator.validate("PutInput", json("{\"name\": \"abc\", \"Payload\": \"AQID\"}"));
        assertViolation("{\"name\": \"abc\", \"Payload\": \"AQIDBA==\"}", "ValidationException",
                "1 validation error detected: Value 'AQIDBA==' at 'Payload' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 3");
        assertViolation("{\"name\": \"abc\", \"Payload\": \"not base64!\"}", "SerializationException",
                "Invalid base64 value at 'Payload'");
    }

    @Test
    void longRangeAndBounds() {
        validator.validate("PutInput", json("{\"name\": \"abc\", \"Big\": 9223372036854775807}"));
        assertViolation("{\"name\": \"abc\", \"Big\": 9223372036854775808}", "SerializationException",
                "Numeric value (9223372036854775808) out of range of long at 'Big'");
        assertViolation("{\"name\": \"abc\", \"Size\": 0}", "ValidationException",
                "1 validation error detected: Value '0' at 'Size' failed to satisfy constraint: "
                        + "Member must have value greater than or equal to 1");
    }

    @Test
    void timestampsInIsoFormatWhenTheModelSaysSo() {
        validator.validate("PutInput", json("{\"name\": \"abc\", \"At\": \"2024-05-01T12:00:00Z\"}"));
        assertViolation("{\"name\": \"abc\", \"At\": \"yesterday\"}", "SerializationException",
                "Invalid timestamp 'yesterday' at 'At'");
        assertViolation("{\"name\": \"abc\", \"At\": 1714564800}", "SerializationException",
                "NUMBER_VALUE can not be converted to a Timestamp at 'At'");
    }

    @Test
    void errorsUseTheMessageSpellingOfTheirShapeAndTheServiceJsonVersion() {
        JsonProtocolEndpoint endpoint = new JsonProtocolEndpoint(TOY, Map.of("Put", (ctx, input) -> {
            throw AwsException.clientError("Oops", "it broke");
        }));
        HttpRequest request = HttpRequest.post(Headers.of("X-Amz-Target", "Toy_20200101.Put"), "{\"name\": \"abc\"}");

        HttpResponse response = endpoint.handle(request, Signing.ALICE, "us-east-1");

        assertThat(response.header("Content-Type")).contains("application/x-amz-json-1.0");
        assertThat(response.bodyAsString()).isEqualTo("{\"__type\":\"Oops\",\"Message\":\"it broke\"}");
    }

    @Test
    void endpointsOnlyServeJsonProtocolSpecs() {
        ServiceSpec query = ServiceSpec.parse("q", new ByteArrayInputStream(
                "{\"metadata\": {\"protocol\": \"query\"}, \"operations\": {}, \"shapes\": {}}".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> new JsonProtocolEndpoint(query, Map.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
