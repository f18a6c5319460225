package dev.stevedore.agent.runtime;

import java.util.Objects;

/**
 * How a container is networked: the ECS network modes that map onto one container, plus joining
 * another container's namespace or a user-defined Docker network (the building blocks of
 * {@code awsvpc}).
 */
public sealed interface NetworkMode {

    /** The engine's {@code HostConfig.NetworkMode} value. */
    String dockerValue();

    /** The default {@code docker0} bridge with published ports (ECS {@code bridge}). */
    record Bridge() implements NetworkMode {
        @Override
        public String dockerValue() {
            return "bridge";
        }
    }

    /** The host's own network stack (ECS {@code host}). */
    record Host() implements NetworkMode {
        @Override
        public String dockerValue() {
            return "host";
        }
    }

    /** Loopback only (ECS {@code none}). */
    record None() implements NetworkMode {
        @Override
        public String dockerValue() {
            return "none";
        }
    }

    /** Shares the network namespace of another container, such as a task's pause container. */
    record Container(String container) implements NetworkMode {
        public Container {
            Objects.requireNonNull(container, "container");
            if (container.isBlank()) {
                throw new IllegalArgumentException("network container must not be blank");
            }
        }

        @Override
        public String dockerValue() {
            return "container:" + container;
        }
    }

    /** A user-defined Docker network, by name. */
    record Network(String name) implements NetworkMode {
        public Network {
            Objects.requireNonNull(name, "name");
            if (name.isBlank() || name.contains(":") || name.equals("bridge") || name.equals("host") || name.equals("none")) {
                throw new IllegalArgumentException("not a user-defined network name: " + name);
            }
        }

        @Override
        public String dockerValue() {
            return name;
        }
    }

    static NetworkMode bridge() {
        return new Bridge();
    }

    static NetworkMode host() {
        return new Host();
    }

    static NetworkMode none() {
        return new None();
    }

    static NetworkMode container(String container) {
        return new Container(container);
    }

    /** Reads the engine's spelling ({@code bridge}, {@code host}, {@code none}, {@code container:x}, a network name). */
    static NetworkMode parse(String value) {
        Objects.requireNonNull(value, "value");
        return switch (value) {
            case "bridge", "default" -> bridge();
            case "host" -> host();
            case "none" -> none();
            default -> value.startsWith("container:")
                    ? new Container(value.substring("container:".length()))
                    : new Network(value);
        };
    }
}
