package dev.stevedore.scheduler;

/** A container instance's status, as ECS reports it; only {@link #ACTIVE} instances take new tasks. */
public enum InstanceStatus {
    REGISTERING,
    REGISTRATION_FAILED,
    ACTIVE,
    DRAINING,
    DEREGISTERING,
    INACTIVE
}
