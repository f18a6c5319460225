package dev.stevedore.policy;

import java.util.Objects;

/** A policy with the name a decision cites it by (a managed policy's ARN, an inline policy's name). */
public record NamedPolicy(String name, PolicyDocument document) {
    public NamedPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(document, "document");
    }
}
