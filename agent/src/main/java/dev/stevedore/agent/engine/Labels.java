package dev.stevedore.agent.engine;

/** The Docker labels the engine puts on the containers and volumes it makes. */
public final class Labels {

    /** The ECS agent's labels, so that tools written for ECS hosts recognise the containers. */
    public static final String CLUSTER = "com.amazonaws.ecs.cluster";
    public static final String TASK_ARN = "com.amazonaws.ecs.task-arn";
    public static final String CONTAINER_NAME = "com.amazonaws.ecs.container-name";
    public static final String FAMILY = "com.amazonaws.ecs.task-definition-family";
    public static final String REVISION = "com.amazonaws.ecs.task-definition-version";
    /** Which agent owns the container: the event filter and the adoption query use it. */
    public static final String CONTAINER_INSTANCE = "dev.stevedore.container-instance";

    /**
     * On an {@code awsvpc} task's pause container, instead of {@link #CONTAINER_NAME} (it is no
     * container of the task definition): the attachment whose namespace it holds.
     */
    public static final String PAUSE_FOR_ATTACHMENT = "dev.stevedore.pause-for-attachment";
    /** The id in a container's task metadata address, by which the endpoint finds the container. */
    public static final String METADATA_ENDPOINT_ID = "dev.stevedore.metadata-endpoint-id";

    private Labels() {}
}
