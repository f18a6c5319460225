package dev.stevedore.control.ec2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.state.Records;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.SqliteStateStore;
import dev.stevedore.store.StateStore;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The VPC API over a real SQLite store, called as the EC2 query endpoint will call it: an
 * {@code ObjectNode} named by wire members in, the output record out.
 */
final class Ec2Harness implements AutoCloseable {
    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";
    static final EcsScope SCOPE = new EcsScope(ACCOUNT, REGION);

    final StateStore store;
    final Ec2Api api;
    private final Map<String, JsonOperation> operations;

    Ec2Harness(Path dir) {
        this.store = SqliteStateStore.open(dir.resolve("state.db"));
        this.api = new Ec2Api(store);
        this.operations = api.operations();
    }

    /** Calls {@code operation} with the request record's wire form; answers the output as JSON. */
    JsonNode call(String operation, Object request) {
        return call(operation, request, REGION);
    }

    JsonNode call(String operation, Object request, String region) {
        ObjectNode input = AwsJson.mapper().valueToTree(request);
        CallContext ctx = new CallContext(UUID.randomUUID().toString(),
                new Principal(ACCOUNT, "AKIATEST", "arn:aws:iam::" + ACCOUNT + ":root"), operation, region);
        Object result = operations.get(operation).handle(ctx, input);
        return AwsJson.mapper().valueToTree(result);
    }

    <R> R call(String operation, Object request, Class<R> resultType) {
        return Records.convert(call(operation, request), resultType);
    }

    /** Calls an operation that must fail with {@code code}, and checks that it changed nothing in the store. */
    AwsException fails(String operation, Object request, String code) {
        DefaultVpc.ensure(store, SCOPE);  // made by any call, failed or not
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

    /** Every EC2 key with its revision. */
    Map<String, Long> snapshot() {
        Map<String, Long> keys = new LinkedHashMap<>();
        for (KeyValue kv : store.range("/ec2/")) {
            keys.put(kv.key(), kv.modRevision());
        }
        return keys;
    }

    <T> List<T> stored(String prefix, Class<T> type) {
        return Ec2Records.all(store, prefix, type);
    }

    @Override
    public void close() {
        store.close();
    }
}
