/**
 * The task endpoints at {@code http://169.254.170.2}, as the ECS agent serves them: task role
 * credentials ({@code /v2/credentials/{id}}) and task metadata v4 (and v3) for the containers of
 * this agent's tasks. {@link dev.stevedore.agent.endpoint.TaskEndpointServer} answers on the
 * loopback interface; {@link dev.stevedore.agent.endpoint.IptablesRoutes} rewrites each task's
 * packets to that address on its way in, matched per task so that several agents share a host.
 */
package dev.stevedore.agent.endpoint;
