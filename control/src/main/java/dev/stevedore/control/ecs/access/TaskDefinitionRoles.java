package dev.stevedore.control.ecs.access;

import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionRef;

/**
 * Looks up the roles of a stored task definition, for the rules of the calls that run one (RunTask,
 * StartTask, CreateService, UpdateService, CreateTaskSet): running a definition passes its roles to
 * the task, so the caller must be allowed to pass them. The one store read a rule makes; it is made
 * only for callers a policy applies to (not the account root) and only when the request does not
 * override both roles.
 */
@FunctionalInterface
public interface TaskDefinitionRoles {

    /**
     * The roles of the definition {@code ref} names: a revision, or for a bare family its latest
     * ACTIVE revision (the one the call would run). {@link DefinitionRoles#NONE} when there is none:
     * the handler then answers that the definition does not exist.
     */
    DefinitionRoles of(EcsScope scope, TaskDefinitionRef ref);
}
