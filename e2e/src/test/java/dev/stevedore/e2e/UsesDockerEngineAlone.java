package dev.stevedore.e2e;

import org.junit.jupiter.api.parallel.ResourceLock;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class that needs the local Docker engine to itself: it runs {@code awsvpc} or Fargate tasks
 * (the bridge network the agent makes for a subnet has the subnet's block, and every server's default
 * VPC has the same blocks, so two servers' networks would overlap and Docker refuses the second), or it
 * uses the {@code default} cluster or {@code up}'s own agents, which every server has by the same name.
 * It runs beside classes that only talk to the API, never beside another class that uses the engine.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ResourceLock(UsesDockerEngineAlone.ENGINE)
@interface UsesDockerEngineAlone {
    /** The lock's name: {@link UsesDockerEngine} classes take it shared, these exclusively. */
    String ENGINE = "docker-engine";
}
