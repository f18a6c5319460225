package dev.stevedore.server;

import java.nio.file.Path;

/**
 * What a control plane needs to start: where to listen, where to keep state, and which account
 * and Region it serves.
 *
 * @param port 0 picks a free port (tests)
 */
public record ControlPlaneConfig(String host, int port, Path dataDir, String region, String accountId,
                                 RootCredentials credentials) {

    public static final int DEFAULT_PORT = 9400;
    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_ACCOUNT_ID = "000000000000";

    public ControlPlaneConfig {
        if (!accountId.matches("[0-9]{12}")) {
            throw new IllegalArgumentException("account id must be 12 digits, got '" + accountId + "'");
        }
        if (!region.matches("[a-z]{2}(-[a-z]+)+-[0-9]+")) {
            throw new IllegalArgumentException("not a Region name: '" + region + "'");
        }
    }
}
