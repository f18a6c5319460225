package dev.stevedore.server;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Options shared by the commands that need to know where the control plane keeps its state and
 * which account and Region it serves.
 */
final class ServerOptions {
    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + ControlPlaneConfig.DEFAULT_PORT,
            description = "Port of the API endpoint on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${sys:user.home}/.stevedore",
            description = "Directory for the embedded store and the generated credentials (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--region", paramLabel = "REGION", defaultValue = ControlPlaneConfig.DEFAULT_REGION,
            description = "The default AWS Region: `env` and the local agent use it, and its `default` cluster "
                    + "exists from the start. Every other served Region answers too (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--account-id", paramLabel = "ID", defaultValue = ControlPlaneConfig.DEFAULT_ACCOUNT_ID,
            description = "12-digit AWS account id of the resources (default: ${DEFAULT-VALUE}).")
    String accountId;

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }
}
