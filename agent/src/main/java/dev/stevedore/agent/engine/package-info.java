/**
 * The agent's task engine: turns the desired state that the control plane pushes for this
 * container instance into Docker containers, watches them, and reports what actually happens.
 *
 * <p>{@link dev.stevedore.agent.engine.TaskEngine} is the entry point. Each task is owned by one
 * supervising loop on a virtual thread; tasks share no mutable state. What the engine decides is
 * a pure function of a task's desired and known state ({@code Transitions}); what it learns and
 * has reported is kept in small JSON files under the agent's data directory so that a restarted
 * agent adopts its containers instead of starting them again. The network sits behind the
 * {@link dev.stevedore.agent.engine.StateReporter} port.
 */
package dev.stevedore.agent.engine;
