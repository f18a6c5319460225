package dev.stevedore.server;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * {@code stevedore env}: prints the shell lines that point the AWS CLI and SDKs at this Stevedore.
 */
@Command(name = "env",
        mixinStandardHelpOptions = true,
        description = {
                "Print `export AWS_...` lines for a shell: eval \"$(bin/stevedore env)\".",
                "The AWS CLI v2 still needs --endpoint-url; SDKs read AWS_ENDPOINT_URL."})
final class EnvCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options;

    @Override
    public Integer call() {
        RootCredentials credentials = RootCredentials.resolve(System.getenv(), options.dataDir);
        System.out.println("export AWS_ACCESS_KEY_ID=" + credentials.accessKeyId());
        System.out.println("export AWS_SECRET_ACCESS_KEY=" + credentials.secretAccessKey());
        System.out.println("export AWS_DEFAULT_REGION=" + options.region);
        System.out.println("export AWS_REGION=" + options.region);
        System.out.println("export AWS_ENDPOINT_URL=" + options.endpoint());
        System.out.println("unset AWS_SESSION_TOKEN AWS_PROFILE");
        return 0;
    }
}
