package dev.stevedore.scheduler;

/**
 * The launch types the scheduler places: {@link #EC2} tasks go to ordinary container instances,
 * {@link #EXTERNAL} tasks to ECS Anywhere instances (those carrying the
 * {@code ecs.capability.external} attribute). Fargate capacity is placed elsewhere.
 */
public enum LaunchType {
    EC2,
    EXTERNAL;

    /** The attribute ECS sets on external (ECS Anywhere) instances. */
    public static final String EXTERNAL_ATTRIBUTE = "ecs.capability.external";
}
