package dev.stevedore.e2e.malformed;

import java.util.Map;
import java.util.Objects;

/**
 * One request damaged in one way, ready to be signed and sent.
 *
 * @param service     the spec's name, e.g. {@code ecs-2014-11-13}
 * @param signingName the service name of the credential scope
 * @param operation   the operation the request is aimed at
 * @param kind        what was damaged, e.g. {@code wrong-type}
 * @param detail      where, e.g. the member path
 * @param headers     content type and, for the JSON protocols, the target
 * @param body        the bytes sent
 */
public record MalformedCase(String service, String signingName, String operation, String kind, String detail,
                            Map<String, String> headers, byte[] body) {
    public MalformedCase {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(signingName, "signingName");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** For failure messages: what was sent, the body cut short. */
    public String describe() {
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        String shown = text.length() > 300 ? text.substring(0, 300) + "… (" + body.length + " bytes)" : text;
        return service + " " + operation + " [" + kind + ": " + detail + "] " + shown;
    }
}
