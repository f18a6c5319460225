package dev.stevedore.agent.engine;

import dev.stevedore.agent.efs.EfsMounts;
import dev.stevedore.agent.runtime.ContainerRuntime;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/** What every task supervisor of one engine shares: all of it immutable or safe for concurrent use. */
record EngineContext(
        ContainerRuntime runtime,
        AgentIdentity identity,
        StateReporter reporter,
        Clock clock,
        EngineSettings settings,
        TaskStateStore store,
        TaskCgroups cgroups,
        TaskRoutes routes,
        TaskCredentialsBook credentials,
        SecretStores secrets,
        RegistryLogins logins,
        Optional<AwsLogs.Target> awslogs,
        PauseImagePresence pauseImage,
        EfsMounts efs) {

    EngineContext {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(reporter, "reporter");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(cgroups, "cgroups");
        Objects.requireNonNull(routes, "routes");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(logins, "logins");
        Objects.requireNonNull(awslogs, "awslogs");
        Objects.requireNonNull(pauseImage, "pauseImage");
        Objects.requireNonNull(efs, "efs");
    }
}
