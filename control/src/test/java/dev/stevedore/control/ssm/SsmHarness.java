package dev.stevedore.control.ssm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.control.iam.SecretSealer;
import dev.stevedore.store.InMemoryStateStore;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The SSM API over a real in-memory store, called with JSON input as the awsJson endpoint calls it. */
final class SsmHarness {
    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";
    static final Instant NOW = Instant.parse("2026-12-07T05:00:00Z");

    final StateStore store = new InMemoryStateStore();
    final SsmApi api;

    SsmHarness() {
        byte[] key = new byte[SecretSealer.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        api = new SsmApi(store, Clock.fixed(NOW, ZoneOffset.UTC), new SecretSealer(key));
    }

    JsonNode call(String operation, Map<String, ?> request) {
        ObjectNode input = AwsJson.mapper().valueToTree(request);
        Principal root = new Principal(ACCOUNT, "AKIAROOT", "arn:aws:iam::" + ACCOUNT + ":root", Optional.empty());
        CallContext ctx = new CallContext(UUID.randomUUID().toString(), root, operation, REGION);
        Object result = api.operations().get(operation).handle(ctx, input);
        return result == null ? AwsJson.mapper().createObjectNode() : AwsJson.mapper().valueToTree(result);
    }

    /** Calls an operation that must fail with {@code code}, and checks that it changed nothing in the store. */
    AwsException fails(String operation, Map<String, ?> request, String code) {
        Map<String, Long> before = snapshot();
        try {
            call(operation, request);
        } catch (AwsException e) {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            assertThat(snapshot()).as("store after a failed " + operation).isEqualTo(before);
            return e;
        }
        throw new AssertionError(operation + " did not fail with " + code);
    }

    Map<String, Long> snapshot() {
        Map<String, Long> keys = new LinkedHashMap<>();
        for (KeyValue kv : store.range("/")) {
            keys.put(kv.key(), kv.modRevision());
        }
        return keys;
    }
}
