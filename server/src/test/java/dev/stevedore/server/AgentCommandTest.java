package dev.stevedore.server;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code stevedore agent --join-token}: what it says when it cannot start, against a loopback stand-in
 * for the control plane's join endpoint. Both cases end before the agent touches Docker.
 */
class AgentCommandTest {
    @TempDir
    Path dataDir;
    private HttpServer server;
    private volatile int status;
    private volatile String answer;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/_stevedore/agent/join", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setErr(originalErr);
        server.stop(0);
    }

    @Test
    void aRefusedTokenEndsTheAgentWithTheControlPlanesMessage() {
        status = 403;
        answer = "{\"__type\":\"AccessDeniedException\",\"message\":\"The join token was revoked.\"}";

        int exit = run("--join-token", "sjt-revoked");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("stevedore agent: the control plane refused the "
                + "join token: The join token was revoked. (AccessDeniedException, HTTP 403)" + System.lineSeparator());
    }

    @Test
    void aTokenForAnotherClusterThanAskedIsAClearErrorAndItsCredentialsAreKept() {
        status = 200;
        answer = "{\"accessKeyId\":\"ASIAJOINED0000000001\",\"secretAccessKey\":\"secret\",\"sessionToken\":\"token\","
                + "\"expiration\":\"" + Instant.now().plusSeconds(3600) + "\",\"roleArn\":"
                + "\"arn:aws:iam::123456789012:role/ecsInstanceRole\",\"cluster\":\"web\"}";

        int exit = run("--join-token", "sjt-web", "--cluster", "batch");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("this agent's join token is for cluster web, "
                + "not batch: start it without --cluster (or with --cluster web)");
        assertThat(dataDir.resolve("instance-credentials.json")).exists();
    }

    @Test
    void aMetricsPortInUseEndsTheAgentBeforeItRegisters() throws IOException {
        status = 200;
        answer = "{\"accessKeyId\":\"ASIAJOINED0000000001\",\"secretAccessKey\":\"secret\",\"sessionToken\":\"token\","
                + "\"expiration\":\"" + Instant.now().plusSeconds(3600) + "\",\"roleArn\":"
                + "\"arn:aws:iam::123456789012:role/ecsInstanceRole\"}";
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int exit = run("--join-token", "sjt-any", "--metrics-port", Integer.toString(taken.getLocalPort()));

            assertThat(exit).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("stevedore agent: cannot serve metrics on 127.0.0.1:" + taken.getLocalPort() + ": ");
        }
    }

    private int run(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--endpoint";
        all[1] = "http://127.0.0.1:" + server.getAddress().getPort();
        all[2] = "--data-dir";
        all[3] = dataDir.toString();
        System.arraycopy(args, 0, all, 4, args.length);
        return new CommandLine(new AgentCommand()).execute(all);
    }
}
