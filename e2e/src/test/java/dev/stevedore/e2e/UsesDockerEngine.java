package dev.stevedore.e2e;

import org.junit.jupiter.api.parallel.ResourceLock;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class that starts agents on the local Docker engine (directly or through {@code up}): such
 * classes run one at a time, because they share the engine's networks, the host's iptables rules and
 * the agents' task endpoint ports; each may run beside a class that only talks to the API (see
 * {@code junit-platform.properties}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ResourceLock("docker-engine")
@interface UsesDockerEngine {
}
