package dev.stevedore.server;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Options shared by the commands that need to know where the control plane keeps its state and
 * which account and Region it serves.
 *
 * <p>{@code --port} and {@code --region} have no picocli default so that {@code env} and
 * {@code reset} can tell a flag the user gave from one they left out: left out, those commands use
 * what {@code up} recorded in the data directory ({@link UpRecord}), and {@code up} the defaults.
 */
final class ServerOptions {
    @Option(names = "--port", paramLabel = "PORT",
            description = "Port of the API endpoint on 127.0.0.1 (default: " + ControlPlaneConfig.DEFAULT_PORT
                    + "; for env and reset: the port up last used with this data directory).")
    Integer port;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${sys:user.home}/.stevedore",
            description = "Directory for the embedded store and the generated credentials (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--region", paramLabel = "REGION",
            description = "The default AWS Region: `env` and the local agent use it, and its `default` cluster "
                    + "exists from the start. Every other served Region answers too (default: "
                    + ControlPlaneConfig.DEFAULT_REGION + "; for env and reset: the one up last used with this "
                    + "data directory).")
    String region;

    @Option(names = "--account-id", paramLabel = "ID", defaultValue = ControlPlaneConfig.DEFAULT_ACCOUNT_ID,
            description = "12-digit AWS account id of the resources (default: ${DEFAULT-VALUE}).")
    String accountId;

    /** The port to serve on: the flag, else the default. */
    int port() {
        return explicitPort().orElse(ControlPlaneConfig.DEFAULT_PORT);
    }

    /** The start-up Region: the flag, else the default. */
    String region() {
        return explicitRegion().orElse(ControlPlaneConfig.DEFAULT_REGION);
    }

    Optional<Integer> explicitPort() {
        return Optional.ofNullable(port);
    }

    Optional<String> explicitRegion() {
        return Optional.ofNullable(region);
    }
}
