package dev.stevedore.server.registry;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An answer the front door writes whole: the registry's own (a manifest PUT) or one of Stevedore's. */
record RegistryReply(int status, Map<String, String> headers, byte[] body) {
    /** Headers of the registry's answer that describe the connection, not the answer. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "transfer-encoding", "keep-alive");

    static RegistryReply of(HttpResponse<byte[]> response) {
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                headers.put(name, String.join(", ", values));
            }
        });
        return new RegistryReply(response.statusCode(), headers, response.body());
    }

    /** The distribution API's error body: {@code {"errors":[{"code","message"}]}}. */
    static RegistryReply error(int status, String code, String message) {
        String body = RegistryFront.json(Map.of("errors", List.of(Map.of("code", code, "message", message))));
        return new RegistryReply(status, Map.of("Content-Type", "application/json; charset=utf-8",
                "Docker-Distribution-Api-Version", "registry/2.0"), body.getBytes(StandardCharsets.UTF_8));
    }

    static RegistryReply json(int status, Map<String, String> headers, String body) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/json");
        return new RegistryReply(status, all, body.getBytes(StandardCharsets.UTF_8));
    }
}
