package dev.stevedore.e2e;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Hand-made requests to the ECS endpoint (awsJson 1.1), through {@link RawAws}. */
final class RawEcs {
    static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";

    private final RawAws raw;

    RawEcs(URI endpoint) {
        this.raw = new RawAws(endpoint);
    }

    RawAws.Response call(String operation, String body) {
        return callBytes(operation, "application/x-amz-json-1.1", body.getBytes(StandardCharsets.UTF_8));
    }

    RawAws.Response callBytes(String operation, String contentType, byte[] body) {
        return raw.post("ecs", headers(operation, contentType), body);
    }

    RawAws.Response unsigned(String operation, String body) {
        return raw.unsigned(headers(operation, "application/x-amz-json-1.1"), body.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> headers(String operation, String contentType) {
        return Map.of("Content-Type", contentType, "X-Amz-Target", TARGET_PREFIX + operation);
    }
}
