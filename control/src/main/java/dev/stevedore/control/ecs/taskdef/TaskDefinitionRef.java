package dev.stevedore.control.ecs.taskdef;

import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsScope;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A reference to a task definition as callers write it: {@code family}, {@code family:revision}
 * or the full ARN. A bare family means its latest ACTIVE revision.
 */
public record TaskDefinitionRef(String family, OptionalInt revision) {

    /** Parses a reference; empty when it cannot name a task definition in this account and Region. */
    public static Optional<TaskDefinitionRef> parse(EcsScope scope, String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        String body = text;
        if (text.startsWith("arn:")) {
            Optional<Arns.Arn> arn = Arns.parse(text)
                    .filter(a -> a.isIn(scope) && a.resourceType().equals("task-definition"));
            if (arn.isEmpty()) {
                return Optional.empty();
            }
            body = arn.get().resourceId();
            if (!body.contains(":")) {
                return Optional.empty();  // an ARN always carries the revision
            }
        }
        int colon = body.lastIndexOf(':');
        String family = colon < 0 ? body : body.substring(0, colon);
        if (!Arns.NAME.matcher(family).matches()) {
            return Optional.empty();
        }
        if (colon < 0) {
            return Optional.of(new TaskDefinitionRef(family, OptionalInt.empty()));
        }
        String rev = body.substring(colon + 1);
        if (!rev.matches("[1-9][0-9]{0,8}")) {
            return Optional.empty();
        }
        return Optional.of(new TaskDefinitionRef(family, OptionalInt.of(Integer.parseInt(rev))));
    }
}
