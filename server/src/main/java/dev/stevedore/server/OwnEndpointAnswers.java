package dev.stevedore.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.HttpResponse;
import java.util.Map;
import java.util.UUID;

/**
 * How Stevedore's own endpoints ({@code /_stevedore/...}) answer: JSON, and errors in the awsJson
 * shape ({@code __type}, {@code message}) so that clients read them like the ECS API's.
 */
final class OwnEndpointAnswers {
    private OwnEndpointAnswers() {
    }

    static ObjectNode error(String code, String message) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("__type", code);
        out.put("message", message);
        return out;
    }

    static HttpResponse json(int status, ObjectNode body) {
        return new HttpResponse(status, Map.of("Content-Type", "application/json",
                "x-amzn-RequestId", UUID.randomUUID().toString()), AwsJson.toBytes(body));
    }
}
