package dev.stevedore.server;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code stevedore reset}: asks a Stevedore started with {@code up --dev} to reset itself (see
 * {@link DevReset}), at the endpoint and with the credentials {@code env} prints.
 */
@Command(name = "reset",
        mixinStandardHelpOptions = true,
        description = {
                "Reset a Stevedore started with `up --dev` to the state it starts in: every cluster, task "
                        + "definition, service, task and setting of every Region goes, the agents stop every "
                        + "container they run for it, and the start-up Region's `default` cluster stays with "
                        + "the agents connected to it. Answers once the agents have stopped their containers.",
                "Without --dev the server has no reset and this command fails."})
final class ResetCommand implements Callable<Integer> {
    /** Longer than the server's own wait for the agents, so that its answer arrives. */
    private static final Duration TIMEOUT = DevReset.CONVERGE_TIMEOUT.plusMinutes(1);

    @Mixin
    ServerOptions options;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Optional<ServerTarget> found = ServerTarget.find(options, System.getenv());
        if (found.isEmpty()) {
            System.err.println(ServerTarget.missing("reset", options));
            return 1;
        }
        HttpResponse<byte[]> response = RootSignedPost.send(found.get(), DevReset.PATH, new byte[0], TIMEOUT);
        System.out.println(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        return response.statusCode() == 200 ? 0 : 1;
    }
}
