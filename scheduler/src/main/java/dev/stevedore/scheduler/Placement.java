package dev.stevedore.scheduler;

import java.util.Objects;

/**
 * One task of a request assigned to one container instance.
 *
 * @param instanceArn the chosen container instance
 * @param taskIndex which task of the request, from 0
 */
public record Placement(String instanceArn, int taskIndex) {

    public Placement {
        Objects.requireNonNull(instanceArn, "instanceArn");
    }
}
