package dev.stevedore.control.ecs.service;

/**
 * The values of a service's status, its deployments' status and rollout state, and its scheduling
 * strategy and deployment controller, as ECS spells them.
 */
public final class ServiceStatus {
    public static final String ACTIVE = "ACTIVE";
    public static final String DRAINING = "DRAINING";
    public static final String INACTIVE = "INACTIVE";

    public static final String PRIMARY = "PRIMARY";
    /** A deployment older than the primary that still has tasks; also a task set that is not primary. */
    public static final String DEPLOYMENT_ACTIVE = "ACTIVE";

    public static final String IN_PROGRESS = "IN_PROGRESS";
    public static final String COMPLETED = "COMPLETED";
    public static final String FAILED = "FAILED";

    public static final String REPLICA = "REPLICA";
    public static final String DAEMON = "DAEMON";

    public static final String ECS = "ECS";
    public static final String CODE_DEPLOY = "CODE_DEPLOY";
    public static final String EXTERNAL = "EXTERNAL";

    private ServiceStatus() {
    }
}
