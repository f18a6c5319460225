package dev.stevedore.control.ecs;

import dev.stevedore.control.ecs.service.rollout.RolloutSettings;

import java.time.Duration;
import java.util.Objects;

/**
 * The controllers' timings.
 *
 * @param rollout       the service scheduler's
 * @param hostLostAfter how long a container instance's agent may stay disconnected before the host
 *                      is declared lost and its tasks stopped, so that services replace them
 */
public record ControllerSettings(RolloutSettings rollout, Duration hostLostAfter) {

    public ControllerSettings {
        Objects.requireNonNull(rollout, "rollout");
        if (hostLostAfter.isNegative()) {
            throw new IllegalArgumentException("hostLostAfter must not be negative");
        }
    }

    /**
     * ECS's rollout timing, and 15 seconds for a host to come back: long enough for an agent to
     * restart and reconnect, short enough that a dead host's tasks run elsewhere within the agent
     * timeout plus a few seconds.
     */
    public static ControllerSettings defaults() {
        return new ControllerSettings(RolloutSettings.defaults(), Duration.ofSeconds(15));
    }

    public ControllerSettings withRollout(RolloutSettings value) {
        return new ControllerSettings(value, hostLostAfter);
    }

    public ControllerSettings withHostLostAfter(Duration value) {
        return new ControllerSettings(rollout, value);
    }
}
