package dev.stevedore.server;

import dev.stevedore.awsproto.AwsRegions;
import dev.stevedore.control.ecs.ControllerSettings;

import dev.stevedore.server.agentchannel.AgentChannelSettings;
import dev.stevedore.server.registry.RegistrySettings;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a control plane needs to start: where to listen, where to keep state, which account it
 * serves and in which Regions.
 *
 * @param port 0 picks a free port (tests)
 * @param region the Region the {@code default} cluster is made in at start-up, and the one {@code env}
 *               and the local agent use; one of {@code regions}
 * @param agentChannel timing of the agent channel (pings, presence grace after start-up)
 * @param controllers timing of the controllers (when a service task counts as healthy, when a host is lost)
 * @param regions the Regions served: requests signed for any other are refused
 * @param dev whether the development paths (the reset, {@code POST /_stevedore/reset}) exist
 * @param edgeLimits how many requests and body bytes the HTTP edge takes on at once
 * @param store where the state store is: the embedded file in {@code dataDir}, or etcd (logs, keys and
 *              credentials stay in {@code dataDir} either way)
 * @param loadBalancerDataPlane who serves the load balancers' listeners and health-checks their targets: this
 *              process (by default), load balancer processes of their own ({@code up --lb external}), or no one
 *              (tests of the ELB API alone, so that no health check goes to the made-up addresses they register)
 * @param fileSystemStorage whether this machine stores the EFS file systems' data: the server then runs the
 *              volume controller and supervises {@code glusterd} here (off by default; {@code up} turns it on)
 * @param registry whether this process runs the image registry and on which port (off unless asked for: {@code up}
 *              asks; tests that push images ask)
 */
public record ControlPlaneConfig(String host, int port, Path dataDir, String region, String accountId,
                                 RootCredentials credentials, AgentChannelSettings agentChannel,
                                 ControllerSettings controllers, AwsRegions regions, boolean dev,
                                 EdgeLimits edgeLimits, StateStoreAddress store,
                                 LoadBalancerDataPlane loadBalancerDataPlane, boolean fileSystemStorage,
                                 RegistrySettings registry) {

    /** Where the load balancers' data plane runs. */
    public enum LoadBalancerDataPlane {
        /** In this process, fed from the store directly. */
        IN_PROCESS,
        /** In {@code stevedore lb} processes, fed over {@code /_stevedore/lb/config}; this process binds no listener. */
        EXTERNAL,
        /** Nowhere: every target stays in its initial state. */
        OFF
    }

    public static final int DEFAULT_PORT = 9400;
    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_ACCOUNT_ID = "000000000000";

    /** With the agent channel's default timing. */
    public ControlPlaneConfig(String host, int port, Path dataDir, String region, String accountId,
                              RootCredentials credentials) {
        this(host, port, dataDir, region, accountId, credentials, AgentChannelSettings.defaults(),
                ControllerSettings.defaults(), AwsRegions.standard(), false, EdgeLimits.defaults(), StateStoreAddress.EMBEDDED, LoadBalancerDataPlane.IN_PROCESS, false, RegistrySettings.OFF);
    }

    /** With the service scheduler's default timing. */
    public ControlPlaneConfig(String host, int port, Path dataDir, String region, String accountId,
                              RootCredentials credentials, AgentChannelSettings agentChannel) {
        this(host, port, dataDir, region, accountId, credentials, agentChannel, ControllerSettings.defaults(),
                AwsRegions.standard(), false, EdgeLimits.defaults(), StateStoreAddress.EMBEDDED, LoadBalancerDataPlane.IN_PROCESS, false, RegistrySettings.OFF);
    }

    public ControlPlaneConfig {
        Objects.requireNonNull(agentChannel, "agentChannel");
        Objects.requireNonNull(controllers, "controllers");
        Objects.requireNonNull(regions, "regions");
        Objects.requireNonNull(edgeLimits, "edgeLimits");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(loadBalancerDataPlane, "loadBalancerDataPlane");
        if (!accountId.matches("[0-9]{12}")) {
            throw new IllegalArgumentException("account id must be 12 digits, got '" + accountId + "'");
        }
        if (!AwsRegions.standard().contains(region)) {
            throw new IllegalArgumentException("not a standard AWS Region: '" + region + "'");
        }
        if (!regions.contains(region)) {
            throw new IllegalArgumentException("the Region " + region + " is not among the served Regions "
                    + String.join(", ", regions.names()));
        }
    }

    public ControlPlaneConfig withAgentChannel(AgentChannelSettings settings) {
        return new ControlPlaneConfig(host, port, dataDir, region, accountId, credentials, settings, controllers,
                regions, dev, edgeLimits, store, loadBalancerDataPlane, fileSystemStorage, registry);
    }

    public ControlPlaneConfig withPort(int newPort) {
        return new ControlPlaneConfig(host, newPort, dataDir, region, accountId, credentials, agentChannel, controllers,
                regions, dev, edgeLimits, store, loadBalancerDataPlane, fileSystemStorage, registry);
    }

    public ControlPlaneConfig withControllers(ControllerSettings settings) {
        return new ControlPlaneConfig(host, port, dataDir, region, accountId, credentials, agentChannel, settings,
                regions, dev, edgeLimits, store, loadBalancerDataPlane, fileSystemStorage, registry);
    }

    public ControlPlaneConfig withRegions(AwsRegions served) {
        return new ControlPlaneConfig(host, port, dataDir, region, accountId, credentials, agentChannel, controllers,
                served, dev, edgeLimits, store, loadBalancerDataPlane, fileSystemStorage, registry);
    }

    /** With the development paths (the reset) on or off. */
    public ControlPlaneConfig withDev(boolean on) {
        return new ControlPlaneConfig(host, port, dataDir, region, accountId, credentials, agentChannel, controllers,
                regions, on, edgeLimits, store, loadBalancerDataPlane, fileSystemStorage, registry);
    }

    /** With the state store at {@code address}. */
    public ControlPlaneConfig withStore(StateStoreAddress address) {
        return new ControlPlaneConfig(host, port, dataDir, region, accountId, credentials, agentChannel, controllers,
                regions, dev, edgeLimits, address, loadBalancerDataPlane, fileSystemStorage, registry);
    }

    public ControlPlaneConfig withEdgeLimits(EdgeLimits limits) {
        return new ControlPlaneConfig(host, port, dataDir, region, accountId, credentials, agentChannel, controllers,
                regions, dev, limits, store, loadBalancerDataPlane, fileSystemStorage, registry);
    }

    /** With the data plane in this process, or none. */
    public ControlPlaneConfig withLoadBalancerDataPlane(boolean on) {
        return withLoadBalancerDataPlane(on ? LoadBalancerDataPlane.IN_PROCESS : LoadBalancerDataPlane.OFF);
    }

    public ControlPlaneConfig withLoadBalancerDataPlane(LoadBalancerDataPlane where) {
        return new ControlPlaneConfig(host, port, dataDir, region, accountId, credentials, agentChannel, controllers,
                regions, dev, edgeLimits, store, where, fileSystemStorage, registry);
    }

    /** With this machine as the storage host of the EFS file systems, or not. */
    public ControlPlaneConfig withFileSystemStorage(boolean on) {
        return new ControlPlaneConfig(host, port, dataDir, region, accountId, credentials, agentChannel, controllers,
                regions, dev, edgeLimits, store, loadBalancerDataPlane, on, registry);
    }

    /** With the image registry on (on a port) or off. */
    public ControlPlaneConfig withRegistry(RegistrySettings settings) {
        return new ControlPlaneConfig(host, port, dataDir, region, accountId, credentials, agentChannel, controllers,
                regions, dev, edgeLimits, store, loadBalancerDataPlane, fileSystemStorage, settings);
    }
}
