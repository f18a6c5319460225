package dev.stevedore.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.control.ecs.EcsApi;
import dev.stevedore.control.ecs.agent.AgentStates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Thousands of container instances without Docker, for scale measurements only: each registers
 * through the real RegisterContainerInstance operation, is marked connected as its agent channel
 * would, and acknowledges its tasks through the real SubmitTaskStateChange operation. Nothing here
 * is part of the product; it stands in for hosts this machine does not have.
 */
public final class SimulatedHosts {
    static final String ACCOUNT = "000000000000";
    static final String REGION = "us-east-1";
    static final List<String> ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");

    private final EcsApi api;
    private final Map<String, JsonOperation> operations;

    public SimulatedHosts(EcsApi api) {
        this.api = api;
        this.operations = api.operations();
    }

    public JsonNode call(String operation, String json) {
        ObjectNode input;
        try {
            input = (ObjectNode) AwsJson.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CallContext ctx = new CallContext(UUID.randomUUID().toString(),
                new Principal(ACCOUNT, "AKIABENCH", "arn:aws:iam::" + ACCOUNT + ":root"), operation, REGION);
        return AwsJson.mapper().valueToTree(operations.get(operation).handle(ctx, input));
    }

    /** Registers {@code count} hosts of 4 vCPU / 16 GiB spread over three zones, with a rack attribute. */
    public List<String> register(String cluster, int count) {
        return register(cluster, count, 1);
    }

    /** The same, with {@code callers} registrations at a time (real hosts join independently of each other). */
    public List<String> register(String cluster, int count, int callers) {
        String[] arns = new String[count];
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < callers; c++) {
                pool.execute(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < count) {
                        arns[i] = registerOne(cluster, i);
                    }
                });
            }
        }
        return List.of(arns);
    }

    private String registerOne(String cluster, int i) {
        {
            String zone = ZONES.get(i % ZONES.size());
            String body = """
                    {"cluster": "%s",
                     "totalResources": [
                       {"name": "CPU", "type": "INTEGER", "integerValue": 4096},
                       {"name": "MEMORY", "type": "INTEGER", "integerValue": 16384},
                       {"name": "PORTS", "type": "STRINGSET", "stringSetValue": ["22", "2375", "2376", "51678", "51679"]},
                       {"name": "PORTS_UDP", "type": "STRINGSET", "stringSetValue": []}],
                     "attributes": [{"name": "rack", "value": "r%d"}, {"name": "ecs.os-type", "value": "linux"}],
                     "instanceIdentityDocument": "{\\"instanceId\\": \\"i-sim%013d\\", \\"availabilityZone\\": \\"%s\\", \\"instanceType\\": \\"m5.xlarge\\"}",
                     "versionInfo": {"agentVersion": "1.0.0", "dockerVersion": "simulated"}}
                    """.formatted(cluster, i % 40, i, zone);
            String arn = call("RegisterContainerInstance", body).at("/containerInstance/containerInstanceArn").asText();
            api.agentStates().setConnected(AgentStates.InstanceRef.parse(arn).orElseThrow(), true);
            return arn;
        }
    }

    /** What a host's agent says once a task's containers run. */
    public void acknowledgeRunning(String cluster, String taskArn) {
        call("SubmitTaskStateChange", "{\"cluster\": \"" + cluster + "\", \"task\": \"" + taskArn
                + "\", \"status\": \"RUNNING\"}");
    }
}
