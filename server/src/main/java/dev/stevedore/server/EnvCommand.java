package dev.stevedore.server;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code stevedore env}: prints the shell lines that point the AWS CLI and SDKs at the Stevedore
 * that {@code up} started with the same data directory.
 */
@Command(name = "env",
        mixinStandardHelpOptions = true,
        description = {
                "Print `export AWS_...` lines for a shell: eval \"$(bin/stevedore env)\".",
                "They point at the Stevedore that `up` started with the same --data-dir: its credentials, and the "
                        + "port and Region it last used (--port / --region override them). Never makes "
                        + "credentials: fails when `up` has not run with that data directory.",
                "The AWS CLI v2 still needs --endpoint-url; SDKs read AWS_ENDPOINT_URL."})
final class EnvCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options;

    @Override
    public Integer call() {
        Optional<ServerTarget> found = ServerTarget.find(options, System.getenv());
        if (found.isEmpty()) {
            System.err.println(ServerTarget.missing("env", options));
            return 1;
        }
        ServerTarget target = found.get();
        System.out.println("export AWS_ACCESS_KEY_ID=" + target.credentials().accessKeyId());
        System.out.println("export AWS_SECRET_ACCESS_KEY=" + target.credentials().secretAccessKey());
        System.out.println("export AWS_DEFAULT_REGION=" + target.region());
        System.out.println("export AWS_REGION=" + target.region());
        System.out.println("export AWS_ENDPOINT_URL=" + target.endpoint());
        System.out.println("unset AWS_SESSION_TOKEN AWS_PROFILE");
        return 0;
    }
}
