package dev.stevedore.control.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.control.state.Records;
import dev.stevedore.store.InMemoryStateStore;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IAM API over a real (in-memory) store, called as the Query endpoint will call it: an
 * {@code ObjectNode} keyed by the spec's member names in, the output record out.
 */
final class IamHarness {
    static final String ACCOUNT = "123456789012";
    static final String ROOT_ARN = "arn:aws:iam::" + ACCOUNT + ":root";
    static final Instant NOW = Instant.parse("2026-12-07T04:00:00Z");

    final StateStore store = new InMemoryStateStore();
    final byte[] sealingKey = new byte[SecretSealer.KEY_BYTES];
    final IamApi api;

    IamHarness() {
        new SecureRandom().nextBytes(sealingKey);
        api = new IamApi(store, Clock.fixed(NOW, ZoneOffset.UTC), new SecretSealer(sealingKey));
    }

    /** Calls {@code operation} as the account's root user; answers the output as JSON. */
    JsonNode call(String operation, Object request) {
        return callAs(new Principal(ACCOUNT, "AKIAROOT", ROOT_ARN), operation, request);
    }

    JsonNode callAs(Principal principal, String operation, Object request) {
        ObjectNode input = AwsJson.mapper().valueToTree(request);
        CallContext ctx = new CallContext(UUID.randomUUID().toString(), principal, operation, "us-east-1");
        Object result = api.operations().get(operation).handle(ctx, input);
        return result == null ? AwsJson.mapper().createObjectNode() : AwsJson.mapper().valueToTree(result);
    }

    <R> R call(String operation, Object request, Class<R> resultType) {
        return Records.convert(call(operation, request), resultType);
    }

    /** Calls an operation that must fail with {@code code}, and checks that it changed nothing in the store. */
    AwsException fails(String operation, Object request, String code) {
        AccountDefaults.ensure(store, ACCOUNT, Clock.fixed(NOW, ZoneOffset.UTC));  // made by any call, failed or not
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

    /** Every IAM key with its revision. */
    Map<String, Long> snapshot() {
        Map<String, Long> keys = new LinkedHashMap<>();
        for (KeyValue kv : store.range("/iam/")) {
            keys.put(kv.key(), kv.modRevision());
        }
        return keys;
    }
}
