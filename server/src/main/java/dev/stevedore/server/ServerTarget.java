package dev.stevedore.server;

import java.util.Map;
import java.util.Optional;

/**
 * The Stevedore that {@code env} and {@code reset} talk to: the endpoint, Region and root
 * credentials of the {@code up} that ran with the same data directory. Flags given on the command
 * line win; otherwise what {@code up} recorded ({@link UpRecord}); otherwise the defaults. It never
 * makes credentials: a data directory without them is one {@code up} has not started with.
 */
record ServerTarget(String endpoint, String region, RootCredentials credentials) {

    /** Empty when there are no credentials for {@code options}' data directory: see {@link #missing}. */
    static Optional<ServerTarget> find(ServerOptions options, Map<String, String> env) {
        Optional<UpRecord> recorded = UpRecord.read(options.dataDir);
        String endpoint = options.explicitPort().map(port -> "http://127.0.0.1:" + port)
                .or(() -> recorded.map(UpRecord::endpoint))
                .orElse("http://127.0.0.1:" + ControlPlaneConfig.DEFAULT_PORT);
        String region = options.explicitRegion().or(() -> recorded.map(UpRecord::region))
                .orElse(ControlPlaneConfig.DEFAULT_REGION);
        return RootCredentials.existing(env, options.dataDir)
                .map(credentials -> new ServerTarget(endpoint, region, credentials));
    }

    /** What to tell a user whose data directory has no credentials. */
    static String missing(String command, ServerOptions options) {
        return "stevedore " + command + ": no Stevedore credentials in " + options.dataDir.toAbsolutePath()
                + " (" + RootCredentials.FILE_NAME + "), and STEVEDORE_ACCESS_KEY_ID / STEVEDORE_SECRET_ACCESS_KEY "
                + "are not set.\n  Start `bin/stevedore up` first, or pass the same --data-dir as up "
                + "(and the same STEVEDORE_* variables, if up had them).";
    }
}
