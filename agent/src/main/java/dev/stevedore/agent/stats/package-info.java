/**
 * Task stats: the CPU and memory of each running task, sampled from the container engine at an
 * interval and told to the control plane over the agent channel ({@code model.agent.TaskStatsReport}).
 * {@link dev.stevedore.agent.stats.UsageRates} is the arithmetic (pure), {@link
 * dev.stevedore.agent.stats.TaskStatsSampler} the loop that reads the engine.
 */
package dev.stevedore.agent.stats;
