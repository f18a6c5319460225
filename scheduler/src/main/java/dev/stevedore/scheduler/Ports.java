package dev.stevedore.scheduler;

import java.util.Objects;
import java.util.Set;

/** Checks shared by the records that carry port numbers. */
final class Ports {

    private Ports() {
    }

    static Set<Integer> copy(Set<Integer> ports, String name) {
        Objects.requireNonNull(ports, name);
        for (Integer port : ports) {
            if (port == null || port < 1 || port > 65535) {
                throw new IllegalArgumentException(name + " must hold ports 1-65535: " + port);
            }
        }
        return Set.copyOf(ports);
    }
}
