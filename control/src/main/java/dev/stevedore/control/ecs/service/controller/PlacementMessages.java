package dev.stevedore.control.ecs.service.controller;

import dev.stevedore.model.ecs.Failure;

/**
 * The sentence ECS adds about the closest matching container instance when it cannot place a
 * service's task, from the placement engine's failure reason; Stevedore then adds the engine's
 * per-filter account of every instance it ruled out, which ECS does not give.
 */
final class PlacementMessages {
    static final String NO_INSTANCES = " Reason: No Container Instances were found in your cluster.";

    private PlacementMessages() {
    }

    static String closest(Failure failure) {
        String id = failure.arn() == null ? "" : failure.arn().substring(failure.arn().lastIndexOf('/') + 1);
        String match = " The closest matching (container-instance " + id + ")";
        String reason = failure.reason() == null ? "" : failure.reason();
        String sentence = switch (reason) {
            case "RESOURCE:CPU" -> match + " has insufficient CPU units available.";
            case "RESOURCE:MEMORY" -> match + " has insufficient memory available.";
            case "RESOURCE:PORTS", "RESOURCE:PORTS_UDP" -> match + " is already using a port required by your task.";
            case "RESOURCE:ENI" -> match + " has insufficient available ENI attachment points.";
            case "AGENT" -> match + " encountered error \"AGENT\".";
            case "ATTRIBUTE" -> match + " is missing an attribute required by your task.";
            case "INACTIVE" -> match + " is not ACTIVE.";
            case "LOCATION" -> match + " is not in an Availability Zone of the task's subnets.";
            default -> reason.isEmpty() ? "" : match + " did not meet the placement constraints (" + reason + ").";
        };
        return sentence;
    }

    /** What Stevedore's placement engine says beyond ECS: every filter and what it ruled out. */
    static String detail(Failure failure) {
        return failure.detail() == null || failure.detail().isBlank() ? ""
                : " Placement detail: " + failure.detail() + (failure.detail().endsWith(".") ? "" : ".");
    }
}
