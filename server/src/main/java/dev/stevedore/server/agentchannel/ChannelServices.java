package dev.stevedore.server.agentchannel;

import dev.stevedore.control.ecs.agent.TaskRoleCredentials;
import dev.stevedore.control.ecs.agent.AgentPresence;
import dev.stevedore.control.ecs.agent.AgentStates;
import dev.stevedore.control.ecs.agent.HealthReports;
import dev.stevedore.control.ecs.feed.ClusterFeed;
import dev.stevedore.control.ecs.stats.TaskStatsBook;
import dev.stevedore.model.agent.ChannelCodec;

/** What every agent session uses; all of it is shared, thread-safe and owned by the channel server. */
record ChannelServices(ClusterFeed feed, AgentStates states, HealthReports health, TaskStatsBook stats,
                       AgentPresence<AgentSession> presence, AgentChannelSettings settings,
                       ChannelCodec codec, TaskRoleCredentials roleCredentials,
                       LogRequests logRequests) {
}
