package dev.stevedore.awsproto;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reads a request body that must be one JSON object (awsJson, REST-JSON), within a nesting depth, and
 * reports what it cannot read with the service's {@link ValidationPolicy#malformedInput}.
 */
final class JsonBodyReader {

    private final ValidationPolicy policy;
    private final ObjectMapper reader;

    JsonBodyReader(ValidationPolicy policy, int maxNestingDepth) {
        this.policy = policy;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth).build())
                .build();
        this.reader = JsonMapper.builder(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    }

    /** The body's object; an empty body is an empty object (some clients send none for empty input). */
    ObjectNode parse(byte[] body) {
        JsonNode node;
        try {
            node = reader.readTree(body);
        } catch (StreamConstraintsException e) {
            throw policy.malformedInput("Request body exceeds the JSON limits: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw policy.malformedInput("Request body is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")") + ".");
        } catch (IOException e) {
            throw policy.malformedInput("Request body is not valid JSON.");
        }
        if (node == null || node.isMissingNode()) {
            return AwsJson.mapper().createObjectNode();
        }
        if (!node.isObject()) {
            throw policy.malformedInput(InputValidator.wrongType(node, "a Structure", ""));
        }
        return (ObjectNode) node;
    }
}
