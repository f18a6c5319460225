package dev.stevedore.agent.engine;

/** The Docker labels the engine puts on the containers and volumes it makes. */
final class Labels {

    /** The ECS agent's labels, so that tools written for ECS hosts recognise the containers. */
    static final String CLUSTER = "com.amazonaws.ecs.cluster";
    static final String TASK_ARN = "com.amazonaws.ecs.task-arn";
    static final String CONTAINER_NAME = "com.amazonaws.ecs.container-name";
    static final String FAMILY = "com.amazonaws.ecs.task-definition-family";
    static final String REVISION = "com.amazonaws.ecs.task-definition-version";
    /** Which agent owns the container: the event filter and the adoption query use it. */
    static final String CONTAINER_INSTANCE = "dev.stevedore.container-instance";

    /**
     * On an {@code awsvpc} task's pause container, instead of {@link #CONTAINER_NAME} (it is no
     * container of the task definition): the attachment whose namespace it holds.
     */
    static final String PAUSE_FOR_ATTACHMENT = "dev.stevedore.pause-for-attachment";

    private Labels() {}
}
