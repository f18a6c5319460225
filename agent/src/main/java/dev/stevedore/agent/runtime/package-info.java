/**
 * The agent's view of a container engine: the {@link dev.stevedore.agent.runtime.ContainerRuntime}
 * port with the values that cross it, and {@link dev.stevedore.agent.runtime.DockerContainerRuntime},
 * its implementation on the Docker Engine API.
 *
 * <p>Everything here is blocking and meant to be called from virtual threads; failures are
 * {@link dev.stevedore.agent.runtime.ContainerRuntimeException}s whose kind tells the task engine
 * which ECS error a task reports.
 */
package dev.stevedore.agent.runtime;
