package dev.stevedore.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.agent.engine.RegistryTokens;
import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.model.agent.TaskCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ECR tokens for the agent's pulls, asked of a loopback server that answers from a script. */
class EcrTokenClientTest {
    private static final TaskCredentials EXECUTION = new TaskCredentials("cred-id", TaskCredentials.Role.EXECUTION,
            "arn:aws:iam::123456789012:role/exec", "ASIAEXECUTIONROLE001", "execution/secret/key/0123456789abcdefghij",
            "STV1.session-token", Instant.parse("2030-01-01T00:00:00Z"));
    private static final AgentCredentials INSTANCE = new AgentCredentials("ASIAINSTANCEROLE0001",
            "instance/secret/key/0123456789abcdefghij", Optional.of("STV1.instance-token"));
    private static final String TOKEN = Base64.getEncoder().encodeToString("AWS:pass:word".getBytes(StandardCharsets.UTF_8));

    private ScriptedEndpoint endpoint;
    private EcrTokenClient client;

    @BeforeEach
    void start() throws IOException {
        endpoint = new ScriptedEndpoint();
        client = EcrTokenClient.create(endpoint.uri(), Optional.of("127.0.0.1:5000"), () -> INSTANCE, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        client.close();
        endpoint.close();
    }

    @Test
    void theTokenIsTakenApartAsDockerLoginDoesAndAskedForWithTheExecutionRole() {
        endpoint.answer(200, "{\"authorizationData\":[{\"authorizationToken\":\"" + TOKEN
                + "\",\"expiresAt\":1.9E9,\"proxyEndpoint\":\"http://127.0.0.1:5000\"}]}");

        RegistryTokens.Token token = client.token(Optional.of(EXECUTION), "eu-west-1");

        assertThat(token).isEqualTo(new RegistryTokens.Token("AWS", "pass:word", Instant.ofEpochSecond(1_900_000_000)));
        assertThat(token.toString()).doesNotContain("pass:word");
        HttpRequest request = endpoint.received().get(0);
        assertThat(request.header("X-Amz-Target")).contains("AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken");
        ScriptedEndpoint.assertSignedBy(request, EXECUTION.accessKeyId(), EXECUTION.secretAccessKey(),
                Optional.of(EXECUTION.sessionToken()), new Principal("123456789012", EXECUTION.accessKeyId(), "exec"),
                "ecr", "eu-west-1");
    }

    @Test
    void withoutAnExecutionRoleTheInstanceAsks() {
        endpoint.answer(200, "{\"authorizationData\":[{\"authorizationToken\":\"" + TOKEN + "\",\"expiresAt\":1.9E9}]}");

        client.token(Optional.empty(), "us-east-1");

        ScriptedEndpoint.assertSignedBy(endpoint.received().get(0), INSTANCE.accessKeyId(), INSTANCE.secretAccessKey(),
                INSTANCE.sessionToken(), new Principal("123456789012", INSTANCE.accessKeyId(), "instance"), "ecr", "us-east-1");
    }

    @Test
    void aRefusalIsQuotedAsTheGoSdkWordsItAndAMalformedAnswerIsARefusal() {
        endpoint.answer(400, "{\"__type\":\"AccessDeniedException\",\"message\":\"User: x is not authorized to perform:"
                + " ecr:GetAuthorizationToken\"}");
        assertThatThrownBy(() -> client.token(Optional.empty(), "us-east-1"))
                .isInstanceOf(RegistryTokens.TokenRefusedException.class)
                .hasMessage("AccessDeniedException: User: x is not authorized to perform: ecr:GetAuthorizationToken"
                        + " status code: 400, request id: req-1");

        endpoint.answer(200, "{\"authorizationData\":[{\"authorizationToken\":\"bm8tY29sb24=\",\"expiresAt\":1}]}");
        assertThatThrownBy(() -> client.token(Optional.empty(), "us-east-1"))
                .isInstanceOf(RegistryTokens.TokenRefusedException.class)
                .hasMessageContaining("GetAuthorizationToken failed");
    }
}
