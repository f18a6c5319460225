package dev.stevedore.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.Headers;
import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.HttpResponse;
import dev.stevedore.awsproto.JsonProtocolEndpoint;
import dev.stevedore.awsproto.Principal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * What the console reads and changes, as calls of an awsJson service (ECS, CloudWatch Logs) made by
 * the signed-in principal through the service's own endpoint: the same shape checks, the same
 * authorization of the operation ({@code ecs:StopTask} …) and the same handlers as the API's.
 * The console never reads or writes the store itself.
 */
final class ApiCalls {

    /** A call the service refused: its AWS error code and message, shown to the user as they are. */
    static final class Refused extends RuntimeException {
        final String code;

        Refused(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    private final JsonProtocolEndpoint endpoint;
    private final String targetPrefix;

    ApiCalls(JsonProtocolEndpoint endpoint) {
        this.endpoint = endpoint;
        this.targetPrefix = endpoint.spec().targetPrefix().orElseThrow();
    }

    /** Who calls, in which Region, from which address. */
    record Caller(Principal principal, String region, Optional<String> sourceIp) {
    }

    JsonNode call(Caller caller, String operation, ObjectNode input) {
        HttpRequest request = new HttpRequest("POST", "/", "",
                Headers.of("X-Amz-Target", targetPrefix + "." + operation, "Content-Type", "application/x-amz-json-1.1"),
                AwsJson.toBytes(input), caller.sourceIp());
        HttpResponse response = endpoint.handle(request, caller.principal(), caller.region());
        JsonNode body;
        try {
            body = AwsJson.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (response.status() != 200) {
            String type = body.path("__type").asText("Error");
            String code = type.substring(type.indexOf('#') + 1);
            throw new Refused(code, body.path("message").asText(body.path("Message").asText(code)));
        }
        return body;
    }

    static ObjectNode input() {
        return AwsJson.mapper().createObjectNode();
    }

    /** A Describe call's input asking for the records' tags too. */
    static ObjectNode withTags() {
        ObjectNode in = input();
        in.putArray("include").add("TAGS");
        return in;
    }
}
