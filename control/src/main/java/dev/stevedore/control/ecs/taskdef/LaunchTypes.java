package dev.stevedore.control.ecs.taskdef;

import static dev.stevedore.control.ecs.taskdef.Absent.orEmpty;

import dev.stevedore.model.ecs.Compatibility;
import dev.stevedore.model.ecs.NetworkMode;
import dev.stevedore.model.ecs.RegisterTaskDefinitionRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The launch types of a definition: the ones the caller requires (checked) and the ones it is
 * compatible with (computed, the output-only {@code compatibilities}).
 */
final class LaunchTypes {

    private LaunchTypes() {
    }

    /** Rejects the definition when a launch type listed in requiresCompatibilities cannot run it. */
    static void checkRequired(RegisterTaskDefinitionRequest request, TaskSize size) {
        List<String> required = orEmpty(request.requiresCompatibilities());
        if (required.contains(Compatibility.FARGATE)) {
            FargateRules.violation(request, size).ifPresent(violation -> {
                throw violation;
            });
        }
        // ECS Anywhere hosts have no VPC networking to give a task its own interface.
        if (required.contains(Compatibility.EXTERNAL) && NetworkMode.AWSVPC.equals(request.networkMode())) {
            throw InvalidTaskDefinitionException.client(
                    "Task definitions for the EXTERNAL launch type do not support network mode 'awsvpc'."); // unverified
        }
        // EC2 and MANAGED_INSTANCES need nothing beyond the rules every definition passes.
    }

    /**
     * Every launch type the definition can run on, in the order ECS lists them. Observed in
     * describe output: ["EXTERNAL", "EC2"] without awsvpc, ["EC2", "FARGATE", "MANAGED_INSTANCES"]
     * for an awsvpc definition that fits Fargate, ["EC2", "MANAGED_INSTANCES"] for one that does not.
     */
    static List<String> compatibilities(RegisterTaskDefinitionRequest request, TaskSize size) {
        boolean awsvpc = NetworkMode.AWSVPC.equals(request.networkMode());
        List<String> required = orEmpty(request.requiresCompatibilities());
        List<String> result = new ArrayList<>();
        if (!awsvpc) {
            result.add(Compatibility.EXTERNAL);
        }
        result.add(Compatibility.EC2);
        if (FargateRules.violation(request, size).isEmpty()) {
            result.add(Compatibility.FARGATE);
        }
        // Managed Instances were only seen listed for awsvpc definitions; a definition that
        // explicitly required them has passed validation for them, so it is listed too.
        if (awsvpc || required.contains(Compatibility.MANAGED_INSTANCES)) {
            result.add(Compatibility.MANAGED_INSTANCES);
        }
        return List.copyOf(result);
    }
}
