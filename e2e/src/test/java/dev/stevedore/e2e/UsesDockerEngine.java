package dev.stevedore.e2e;

import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class that starts agents on the local Docker engine and may share the engine with another
 * such class: everything it makes there is its own (a cluster of a unique name, whose containers it
 * finds and removes by that cluster's label; host ports the engine picks; task endpoints on free
 * ports, routed per agent), and it makes no network of a subnet. A class that does not keep to that
 * is {@link UsesDockerEngineAlone} instead. See {@code junit-platform.properties}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ResourceLock(value = UsesDockerEngineAlone.ENGINE, mode = ResourceAccessMode.READ)
@interface UsesDockerEngine {
}
