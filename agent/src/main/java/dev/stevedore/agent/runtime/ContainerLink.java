package dev.stevedore.agent.runtime;

import java.util.Objects;

/**
 * A legacy Docker link (bridge mode only): the linked container becomes resolvable under
 * {@code alias} inside this one.
 *
 * @param container the linked container's engine name or id
 */
public record ContainerLink(String container, String alias) {

    public ContainerLink {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(alias, "alias");
        if (container.isBlank() || alias.isBlank()) {
            throw new IllegalArgumentException("link container and alias must not be blank");
        }
    }
}
