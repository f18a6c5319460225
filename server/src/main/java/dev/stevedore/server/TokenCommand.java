package dev.stevedore.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AwsJson;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stevedore token create|list|revoke}: join tokens for agents, made by the account root at the
 * endpoint and with the credentials {@code env} prints. {@code create} prints only the token on
 * standard output, so {@code T=$(bin/stevedore token create)} works; the rest goes to standard error.
 */
@Command(name = "token",
        mixinStandardHelpOptions = true,
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class},
        description = {"Join tokens: an agent started with `--join-token T` exchanges T once for credentials of "
                + "the instance role (ecsInstanceRole) and refreshes them itself, so no long-term keys reach the host."})
final class TokenCommand implements Runnable {

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "name a subcommand: create, list or revoke");
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Make a token that one agent can exchange once, within its lifetime.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ServerOptions options;

        @Option(names = "--cluster", paramLabel = "NAME",
                description = "The only cluster an agent joined with this token may register into (default: any).")
        String cluster;

        @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "24h",
                description = "How long the token may be exchanged: 90s, 30m, 24h, 7d (default: ${DEFAULT-VALUE}; at most 30d).")
        String ttl;

        @Override
        public Integer call() throws IOException, InterruptedException {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            Optional.ofNullable(cluster).ifPresent(c -> body.put("cluster", c));
            body.put("ttlSeconds", parseDuration(ttl).toSeconds());
            Optional<JsonNode> answer = post(options, AgentJoinEndpoint.TOKENS, body);
            if (answer.isEmpty()) {
                return 1;
            }
            System.err.println("join token " + answer.get().path("tokenId").asText() + " for "
                    + (answer.get().path("cluster").asText().isEmpty() ? "any cluster" : "cluster " + answer.get().path("cluster").asText())
                    + ", exchangeable once until " + answer.get().path("expiresAt").asText());
            System.out.println(answer.get().path("joinToken").asText());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the join tokens (never their secrets).")
    static final class ListTokens implements Callable<Integer> {
        @Mixin
        ServerOptions options;

        @Override
        public Integer call() throws IOException, InterruptedException {
            Optional<JsonNode> answer = post(options, AgentJoinEndpoint.TOKENS_LIST, JsonNodeFactory.instance.objectNode());
            answer.ifPresent(a -> System.out.println(a.toPrettyString()));
            return answer.isPresent() ? 0 : 1;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a token: it no longer joins, and the agent that joined with it can no longer refresh "
                    + "its credentials (they end within the hour).")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        ServerOptions options;

        @Parameters(paramLabel = "TOKEN_ID", description = "The token's id, as `token list` shows it.")
        String tokenId;

        @Override
        public Integer call() throws IOException, InterruptedException {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("tokenId", tokenId);
            Optional<JsonNode> answer = post(options, AgentJoinEndpoint.TOKENS_REVOKE, body);
            answer.ifPresent(a -> System.out.println(a.toPrettyString()));
            return answer.isPresent() ? 0 : 1;
        }
    }

    static Duration parseDuration(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})([smhd])").matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (use 90s, 30m, 24h or 7d)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** POSTs a root-signed JSON body; prints the server's refusal and answers empty on one. */
    private static Optional<JsonNode> post(ServerOptions options, String path, ObjectNode body)
            throws IOException, InterruptedException {
        Optional<ServerTarget> found = ServerTarget.find(options, System.getenv());
        if (found.isEmpty()) {
            System.err.println(ServerTarget.missing("token", options));
            return Optional.empty();
        }
        HttpResponse<byte[]> response = RootSignedPost.send(found.get(), path, AwsJson.toBytes(body), Duration.ofSeconds(30));
        JsonNode answer = AwsJson.mapper().readTree(response.body());
        if (response.statusCode() != 200) {
            System.err.println("stevedore token: " + answer.path("__type").asText() + ": " + answer.path("message").asText());
            return Optional.empty();
        }
        return Optional.of(answer);
    }
}
