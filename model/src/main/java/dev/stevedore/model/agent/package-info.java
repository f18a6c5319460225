/**
 * The messages of the agent channel: what the control plane pushes to the agent of one container
 * instance over its WebSocket (the complete {@link dev.stevedore.model.agent.DesiredTasks} first,
 * then {@link dev.stevedore.model.agent.DesiredTaskChanges}), and the one thing
 * the agent says back over it, container health ({@link dev.stevedore.model.agent.TaskHealthReport}),
 * for which the ECS API has no call. Everything else agents report through the ECS API itself
 * (SubmitTaskStateChange, SubmitContainerStateChange), as the ECS agent does.
 *
 * <p>Both ends write and read them with one codec, {@link dev.stevedore.model.agent.ChannelCodec}.
 * Every message carries {@link dev.stevedore.model.agent.AgentChannel#PROTOCOL_VERSION}; a side
 * that sees a newer major version than it speaks closes the channel with a clear reason
 * ({@link dev.stevedore.model.agent.AgentMessages#CLOSE_UNSUPPORTED_VERSION}).
 */
package dev.stevedore.model.agent;
