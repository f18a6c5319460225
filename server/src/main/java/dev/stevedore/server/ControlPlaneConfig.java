package dev.stevedore.server;

import dev.stevedore.control.ecs.ControllerSettings;

import dev.stevedore.server.agentchannel.AgentChannelSettings;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a control plane needs to start: where to listen, where to keep state, and which account
 * and Region it serves.
 *
 * @param port 0 picks a free port (tests)
 * @param agentChannel timing of the agent channel (pings, presence grace after start-up)
 * @param controllers timing of the controllers (when a service task counts as healthy, when a host is lost)
 */
public record ControlPlaneConfig(String host, int port, Path dataDir, String region, String accountId,
                                 RootCredentials credentials, AgentChannelSettings agentChannel,
                                 ControllerSettings controllers) {

    public static final int DEFAULT_PORT = 9400;
    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_ACCOUNT_ID = "000000000000";

    /** With the agent channel's default timing. */
    public ControlPlaneConfig(String host, int port, Path dataDir, String region, String accountId,
                              RootCredentials credentials) {
        this(host, port, dataDir, region, accountId, credentials, AgentChannelSettings.defaults(),
                ControllerSettings.defaults());
    }

    /** With the service scheduler's default timing. */
    public ControlPlaneConfig(String host, int port, Path dataDir, String region, String accountId,
                              RootCredentials credentials, AgentChannelSettings agentChannel) {
        this(host, port, dataDir, region, accountId, credentials, agentChannel, ControllerSettings.defaults());
    }

    public ControlPlaneConfig {
        Objects.requireNonNull(agentChannel, "agentChannel");
        Objects.requireNonNull(controllers, "controllers");
        if (!accountId.matches("[0-9]{12}")) {
            throw new IllegalArgumentException("account id must be 12 digits, got '" + accountId + "'");
        }
        if (!region.matches("[a-z]{2}(-[a-z]+)+-[0-9]+")) {
            throw new IllegalArgumentException("not a Region name: '" + region + "'");
        }
    }

    public ControlPlaneConfig withAgentChannel(AgentChannelSettings settings) {
        return new ControlPlaneConfig(host, port, dataDir, region, accountId, credentials, settings, controllers);
    }

    public ControlPlaneConfig withPort(int newPort) {
        return new ControlPlaneConfig(host, newPort, dataDir, region, accountId, credentials, agentChannel, controllers);
    }

    public ControlPlaneConfig withControllers(ControllerSettings settings) {
        return new ControlPlaneConfig(host, port, dataDir, region, accountId, credentials, agentChannel, settings);
    }
}
