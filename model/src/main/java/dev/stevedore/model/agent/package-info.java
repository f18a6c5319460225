/**
 * The messages of the agent channel: what the control plane pushes to the agent of one container
 * instance over its WebSocket. Agents report back through the ECS API itself
 * (SubmitTaskStateChange, SubmitContainerStateChange), as the ECS agent does.
 *
 * <p>Every message carries {@link dev.stevedore.model.agent.AgentChannel#PROTOCOL_VERSION}; a side
 * that sees a newer major version than it speaks closes the channel with a clear reason.
 */
package dev.stevedore.model.agent;
