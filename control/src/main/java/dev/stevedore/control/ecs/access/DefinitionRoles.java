package dev.stevedore.control.ecs.access;

import java.util.Optional;

/** The roles a stored task definition names: its task role and its execution role, as ARNs. */
public record DefinitionRoles(Optional<String> taskRole, Optional<String> executionRole) {
    public static final DefinitionRoles NONE = new DefinitionRoles(Optional.empty(), Optional.empty());

    /** From a definition's members, either of which may be absent. */
    public static DefinitionRoles of(String taskRoleArn, String executionRoleArn) {
        return new DefinitionRoles(Optional.ofNullable(taskRoleArn), Optional.ofNullable(executionRoleArn));
    }
}
