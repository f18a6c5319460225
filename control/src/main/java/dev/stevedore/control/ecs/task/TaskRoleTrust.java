package dev.stevedore.control.ecs.task;

import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.model.ecs.TaskOverride;

import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether ECS ({@code ecs-tasks.amazonaws.com}) can assume the roles a task is launched with:
 * implemented by STS, asked by RunTask, StartTask and the service scheduler before a task exists,
 * since a task whose role cannot be assumed would run without the credentials it was given.
 */
@FunctionalInterface
public interface TaskRoleTrust {

    /** Every role is assumable: for an ECS API served without IAM (tests of ECS alone). */
    TaskRoleTrust ANY = (accountId, roleArn) -> true;

    /** Whether the role exists in {@code accountId} and its trust policy lets ECS's tasks assume it. */
    boolean ecsTasksMayAssume(String accountId, String roleArn);

    /**
     * Whether a session of the role may do {@code action} on {@code resourceArn}: its identity policies
     * with {@code resourcePolicy} (the resource's policy, "" for none) as IAM evaluates them. Without IAM
     * ({@link #ANY}) every action is allowed.
     */
    default boolean roleMayAct(String roleArn, String action, String resourceArn, String resourcePolicy) {
        return true;
    }

    /**
     * The first of the launch's roles (the task role, then the execution role; an override replaces
     * the definition's) that ECS cannot assume, in the words ECS uses for it; empty when there is none.
     */
    default Optional<String> refusal(EcsScope scope, TaskDefinition definition, TaskOverride overrides) {
        return Stream.of(taskRole(definition, overrides), executionRole(definition, overrides))
                .flatMap(Optional::stream)
                .filter(role -> !ecsTasksMayAssume(scope.accountId(), role))
                .findFirst()
                .map(role -> "ECS was unable to assume the role '" + role + "' that was provided for this task. "
                        + "Please verify that the role being passed has the proper trust relationship and permissions "
                        + "and that your IAM user has permissions to pass this role.");
    }

    /** RunTask's and StartTask's refusal: a {@code ClientException}, nothing launched. */
    default void requireAssumable(EcsScope scope, TaskDefinition definition, TaskOverride overrides) {
        refusal(scope, definition, overrides).ifPresent(message -> {
            throw EcsErrors.client(message);
        });
    }

    /** The task role a task runs with: the override's ({@code overrides} may be null), else the definition's. */
    static Optional<String> taskRole(TaskDefinition definition, TaskOverride overrides) {
        return effective(Optional.ofNullable(overrides).map(TaskOverride::taskRoleArn), definition.taskRoleArn());
    }

    /** The execution role a task runs with: the override's ({@code overrides} may be null), else the definition's. */
    static Optional<String> executionRole(TaskDefinition definition, TaskOverride overrides) {
        return effective(Optional.ofNullable(overrides).map(TaskOverride::executionRoleArn),
                definition.executionRoleArn());
    }

    private static Optional<String> effective(Optional<String> overridden, String defined) {
        return overridden.filter(arn -> !arn.isBlank()).or(() -> Optional.ofNullable(defined).filter(arn -> !arn.isBlank()));
    }
}
