package dev.stevedore.control.ecs.feed;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.stevedore.control.state.Records;

import java.time.Instant;
import java.util.Optional;

/**
 * The members of a stored task that routing and the controllers act on, decoded once per change
 * by the feed (the rest of the record, containers and overrides, is skipped). Absent members are
 * null here only because this is a JSON view; use the accessors that say what absence means.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskSummary(String taskArn, String containerInstanceArn, String taskDefinitionArn, String group,
                          String startedBy, String lastStatus, String desiredStatus, String healthStatus,
                          String availabilityZone, String launchType, String stopCode, String stoppedReason,
                          Instant createdAt, Instant startedAt, Instant stoppingAt, Instant stoppedAt, Long version,
                          String capacityProviderName) {

    /** A task that counts against no capacity provider (the EC2 launch type, or launchType FARGATE). */
    public TaskSummary(String taskArn, String containerInstanceArn, String taskDefinitionArn, String group,
                       String startedBy, String lastStatus, String desiredStatus, String healthStatus,
                       String availabilityZone, String launchType, String stopCode, String stoppedReason,
                       Instant createdAt, Instant startedAt, Instant stoppingAt, Instant stoppedAt, Long version) {
        this(taskArn, containerInstanceArn, taskDefinitionArn, group, startedBy, lastStatus, desiredStatus, healthStatus,
                availabilityZone, launchType, stopCode, stoppedReason, createdAt, startedAt, stoppingAt, stoppedAt, version,
                null);
    }

    static TaskSummary decode(byte[] json) {
        return Records.decode(json, TaskSummary.class);
    }

    public Optional<String> instanceArn() {
        return Optional.ofNullable(containerInstanceArn);
    }

    /** The service a task belongs to, from its task group {@code service:NAME}. */
    public Optional<String> serviceName() {
        return group != null && group.startsWith("service:") ? Optional.of(group.substring(8)) : Optional.empty();
    }

    public String id() {
        return taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }

    public boolean isStopped() {
        return "STOPPED".equals(lastStatus);
    }

    public boolean isRunning() {
        return "RUNNING".equals(lastStatus);
    }

    /** Desired RUNNING: neither the user nor a scheduler has asked it to stop. */
    public boolean wanted() {
        return "RUNNING".equals(desiredStatus);
    }

    /** The capacity provider the task counts against, if it was launched by a capacity provider strategy. */
    public Optional<String> capacityProvider() {
        return Optional.ofNullable(capacityProviderName);
    }

    public long versionOrZero() {
        return version == null ? 0 : version;
    }
}
