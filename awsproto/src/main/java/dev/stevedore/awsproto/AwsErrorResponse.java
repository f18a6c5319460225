package dev.stevedore.awsproto;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * An awsJson error answer as a client reads it: the error code and its message.
 *
 * <p>The code comes from the body's {@code __type}, else from the {@code X-Amzn-ErrorType} header;
 * services may qualify it with a namespace ({@code com.amazonaws.ecs#ClusterNotFoundException}) or
 * append a URL after a colon, and both are cut off, as the AWS SDKs do. The message is
 * {@code message} or {@code Message}, since services spell it either way.
 *
 * @param code    the bare error code; empty when the answer carried none
 * @param message the error message; empty when the answer carried none
 */
public record AwsErrorResponse(String code, String message) {

    public AwsErrorResponse {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** Reads an error answer; a body that is not a JSON object yields no message, never an exception. */
    public static AwsErrorResponse parse(Optional<String> errorTypeHeader, byte[] body) {
        JsonNode json = read(body);
        String type = text(json, "__type").or(() -> errorTypeHeader.filter(h -> !h.isBlank())).orElse("");
        String message = text(json, "message").or(() -> text(json, "Message")).orElse("");
        return new AwsErrorResponse(bareCode(type), message);
    }

    /** {@code aws.namespace#Code:http://…} → {@code Code}. */
    static String bareCode(String type) {
        String code = type.substring(type.indexOf('#') + 1);
        int colon = code.indexOf(':');
        return (colon < 0 ? code : code.substring(0, colon)).trim();
    }

    private static JsonNode read(byte[] body) {
        if (body.length == 0) {
            return AwsJson.mapper().missingNode();
        }
        try {
            return AwsJson.mapper().readTree(body);
        } catch (IOException e) {
            // A proxy's HTML page or a cut-off body: the status alone has to speak.
            return AwsJson.mapper().missingNode();
        }
    }

    private static Optional<String> text(JsonNode json, String member) {
        JsonNode value = json.path(member);
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }
}
