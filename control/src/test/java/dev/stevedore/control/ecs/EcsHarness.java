package dev.stevedore.control.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.control.ecs.agent.AgentStates;
import dev.stevedore.control.ecs.service.rollout.RolloutSettings;
import dev.stevedore.control.ecs.task.TaskRoleTrust;
import dev.stevedore.store.InMemoryStateStore;
import dev.stevedore.store.StateStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;


/**
 * The ECS API over a real (in-memory) store, called the way the wire layer calls it: JSON in,
 * JSON out. For tests of operation semantics without HTTP.
 */
public final class EcsHarness {
    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";

    public final StateStore store;
    public final EcsApi api;
    private final Map<String, JsonOperation> operations;

    public EcsHarness() {
        this(new InMemoryStateStore());
    }

    /** The API over an existing store, as a restarted control plane would open it. */
    public EcsHarness(StateStore store) {
        this(store, RolloutSettings.defaults());
    }

    /** The API with the service scheduler's timings shortened (tests cannot wait 40 s for a task to count healthy). */
    public EcsHarness(StateStore store, RolloutSettings rollout) {
        this(store, ControllerSettings.defaults().withRollout(rollout));
    }

    /** The API with every controller's timings given. */
    public EcsHarness(StateStore store, ControllerSettings controllers) {
        this(store, controllers, TaskRoleTrust.ANY);
    }

    /** The API asking {@code roleTrust} whether ECS can assume the roles tasks are launched with. */
    public EcsHarness(StateStore store, ControllerSettings controllers, TaskRoleTrust roleTrust) {
        this(store, controllers, roleTrust, dev.stevedore.control.ecs.service.NoTargetGroups.INSTANCE);
    }

    /** The API whose services register their tasks in {@code targets}' target groups. */
    public EcsHarness(StateStore store, ControllerSettings controllers, TaskRoleTrust roleTrust,
                      dev.stevedore.control.elb.ServiceTargets targets) {
        this.store = store;
        this.api = new EcsApi(store, Clock.systemUTC(), () -> "http://127.0.0.1:1", controllers, roleTrust,
                dev.stevedore.control.ecs.placement.PlacementObserver.NONE, targets);
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
                new Principal(ACCOUNT, "AKIATEST", "arn:aws:iam::" + ACCOUNT + ":root"), operation, REGION);
        Object result = operations.get(operation).handle(ctx, input);
        return AwsJson.mapper().valueToTree(result);
    }

    /** Calls an operation that must fail with {@code code}; returns the error. */
    public AwsException fails(String operation, String json, String code) {
        try {
            call(operation, json);
        } catch (AwsException e) {
            org.assertj.core.api.Assertions.assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            return e;
        }
        throw new AssertionError(operation + " did not fail with " + code);
    }

    public static String arn(String resource) {
        return "arn:aws:ecs:" + REGION + ":" + ACCOUNT + ":" + resource;
    }

    /** Registers a container instance as an agent would and marks its agent connected. */
    public String registerInstance(String cluster, int cpu, int memory, String zone) {
        return registerInstance(cluster, cpu, memory, zone, "m5.large", java.util.List.of());
    }

    /**
     * Registers a container instance of an instance type with attributes of its own (without values,
     * as the agent registers capabilities) and marks its agent connected.
     */
    public String registerInstance(String cluster, int cpu, int memory, String zone, String instanceType,
                                   java.util.List<String> attributes) {
        String attributeList = String.join(", ", attributes.stream().map(a -> "{\"name\": \"" + a + "\"}").toList());
        String body = """
                {"cluster": "%s",
                 "totalResources": [
                   {"name": "CPU", "type": "INTEGER", "integerValue": %d},
                   {"name": "MEMORY", "type": "INTEGER", "integerValue": %d},
                   {"name": "PORTS", "type": "STRINGSET", "stringSetValue": ["22", "2375", "2376", "51678", "51679"]},
                   {"name": "PORTS_UDP", "type": "STRINGSET", "stringSetValue": []}],
                 "instanceIdentityDocument": "{\\"instanceId\\": \\"i-%s\\", \\"availabilityZone\\": \\"%s\\", \\"instanceType\\": \\"%s\\"}",
                 "attributes": [%s],
                 "versionInfo": {"agentVersion": "1.0.0", "dockerVersion": "20.10.24"}}
                """.formatted(cluster, cpu, memory, UUID.randomUUID().toString().replace("-", "").substring(0, 17), zone,
                instanceType, attributeList);
        String arn = call("RegisterContainerInstance", body).at("/containerInstance/containerInstanceArn").asText();
        api.agentStates().setConnected(AgentStates.InstanceRef.parse(arn).orElseThrow(), true);
        return arn;
    }
}
