package dev.stevedore.server.agentchannel;

import dev.stevedore.control.ecs.agent.AgentPresence;
import dev.stevedore.control.ecs.agent.AgentStates;
import dev.stevedore.control.ecs.agent.HealthReports;
import dev.stevedore.model.agent.ChannelCodec;
import dev.stevedore.store.StateStore;

/** What every agent session uses; all of it is shared, thread-safe and owned by the channel server. */
record ChannelServices(StateStore store, AgentStates states, HealthReports health,
                       AgentPresence<AgentSession> presence, AgentChannelSettings settings,
                       ChannelCodec codec) {
}
