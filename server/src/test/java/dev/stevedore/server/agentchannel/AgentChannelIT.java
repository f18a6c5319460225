package dev.stevedore.server.agentchannel;

import dev.stevedore.agent.channel.AgentChannelClient;
import dev.stevedore.model.agent.AgentChannel;
import dev.stevedore.model.agent.AgentMessages;
import dev.stevedore.model.agent.ContainerLogsReply;
import dev.stevedore.model.agent.ContainerLogsRequest;
import dev.stevedore.model.agent.DesiredTasks;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.agent.TaskHealthReport;
import dev.stevedore.model.agent.TaskStatsReport;
import dev.stevedore.server.agentchannel.ChannelFixture.RecordingEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The agent channel end to end over real WebSockets: a control plane in this JVM, the AWS SDK for
 * the API calls, and the agent's channel client with a recording fake in place of the task engine.
 */
class AgentChannelIT {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dataDir;
    private ChannelFixture fixture;
    private String instance;

    @BeforeEach
    void start() {
        fixture = ChannelFixture.start(dataDir);
        instance = fixture.registerInstance("default");
        fixture.ecs().registerTaskDefinition(r -> r.family("sleeper").containerDefinitions(ContainerDefinition.builder()
                .name("main").image("stevedore-test/busybox:latest").command("sleep", "300").memory(32).build()));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aNewInstanceIsNotConnectedUntilItsAgentIs() {
        assertThat(fixture.agentConnected("default", instance)).isFalse();

        RecordingEngine agent = fixture.connectAgent(instance);

        await().atMost(WAIT).until(() -> fixture.agentConnected("default", instance));
        await().atMost(WAIT).until(() -> agent.latest() != null);
        DesiredTasks first = agent.latest();
        assertThat(first.containerInstanceArn()).isEqualTo(instance);
        assertThat(first.tasks()).isEmpty();
        assertThat(fixture.plane().agentChannel().isConnected(instance)).isTrue();
    }

    @Test
    void runTaskReachesTheAgentAndStopTaskPushesStopped() {
        RecordingEngine agent = fixture.connectAgent(instance);
        await().atMost(WAIT).until(() -> fixture.agentConnected("default", instance));

        Task task = runOne();

        await().atMost(WAIT).until(() -> desiredStatusOf(agent.latest(), task.taskArn()).equals("RUNNING"));
        TaskAssignment assignment = assignmentOf(agent.latest(), task.taskArn());
        assertThat(assignment.taskDefinition().family()).isEqualTo("sleeper");
        assertThat(agent.latest().containerInstanceArn()).isEqualTo(instance);

        fixture.ecs().stopTask(r -> r.cluster("default").task(task.taskArn()).reason("test is done"));

        await().atMost(WAIT).until(() -> desiredStatusOf(agent.latest(), task.taskArn()).equals("STOPPED"));
        assertThat(assignmentOf(agent.latest(), task.taskArn()).task().stoppedReason()).isEqualTo("test is done");
        assertRevisionsNeverGoBack(agent);
    }

    @Test
    void theAgentsOwnRunningReportIsNotPushedBack() {
        RecordingEngine agent = fixture.connectAgent(instance);
        await().atMost(WAIT).until(() -> fixture.agentConnected("default", instance));
        Task task = runOne();
        await().atMost(WAIT).until(() -> assignmentOrNull(agent.latest(), task.taskArn()) != null);
        int afterRunTask = agent.received.size();

        fixture.ecs().submitTaskStateChange(r -> r.cluster("default").task(task.taskArn()).status("RUNNING"));
        fixture.ecs().stopTask(r -> r.cluster("default").task(task.taskArn()).reason("test is done"));

        // Pushes leave in order: an echo of the report would have come before the stop.
        await().atMost(WAIT).until(() -> desiredStatusOf(agent.latest(), task.taskArn()).equals("STOPPED"));
        assertThat(agent.received).hasSize(afterRunTask + 1);
        assertThat(describe(task).lastStatus()).isEqualTo("RUNNING");
        assertRevisionsNeverGoBack(agent);
    }

    @Test
    void aTaskTheAgentReportedStoppedStaysListedAsStoppedUntilItIsRemoved() {
        RecordingEngine agent = fixture.connectAgent(instance);
        await().atMost(WAIT).until(() -> fixture.agentConnected("default", instance));
        Task task = runOne();
        await().atMost(WAIT).until(() -> assignmentOrNull(agent.latest(), task.taskArn()) != null);

        fixture.ecs().submitTaskStateChange(r -> r.cluster("default").task(task.taskArn()).status("STOPPED")
                .reason("exited"));

        // Listed as STOPPED so the agent keeps the containers (for their logs) until the task is reaped.
        await().atMost(WAIT).until(() -> desiredStatusOf(agent.latest(), task.taskArn()).equals("STOPPED"));
        assertThat(assignmentOf(agent.latest(), task.taskArn()).task().stoppedReason()).isEqualTo("exited");
    }

    @Test
    void closingTheAgentMarksTheInstanceDisconnected() {
        RecordingEngine agent = fixture.connectAgent(instance);
        await().atMost(WAIT).until(() -> fixture.agentConnected("default", instance));

        agent.client.close();

        await().atMost(WAIT).until(() -> !fixture.agentConnected("default", instance));
        assertThat(fixture.plane().agentChannel().isConnected(instance)).isFalse();
    }

    @Test
    void afterAServerRestartTheAgentReconnectsAndGetsTheFullStateAgain() {
        RecordingEngine agent = fixture.connectAgent(instance);
        await().atMost(WAIT).until(() -> fixture.agentConnected("default", instance));
        Task task = runOne();
        await().atMost(WAIT).until(() -> assignmentOrNull(agent.latest(), task.taskArn()) != null);
        int before = agent.received.size();

        fixture.restart();

        await().atMost(WAIT).until(() -> agent.client.connectionCount() >= 2 && agent.received.size() > before);
        await().atMost(WAIT).until(() -> fixture.agentConnected("default", instance));
        DesiredTasks again = agent.latest();
        assertThat(again.tasks()).extracting(a -> a.task().taskArn()).containsExactly(task.taskArn());
        assertThat(fixture.ecs().listTasks(r -> r.cluster("default")).taskArns()).containsExactly(task.taskArn());
        assertRevisionsNeverGoBack(agent);
    }

    @Test
    void healthReportedOverTheChannelShowsInDescribeTasks() {
        RecordingEngine agent = fixture.connectAgent(instance);
        await().atMost(WAIT).until(() -> fixture.agentConnected("default", instance));
        Task task = runOne();
        await().atMost(WAIT).until(() -> assignmentOrNull(agent.latest(), task.taskArn()) != null);

        agent.client.report(TaskHealthReport.of(task.taskArn(), Map.of("main", "HEALTHY")));

        await().atMost(WAIT).until(() -> "HEALTHY".equals(describe(task).healthStatusAsString()));
        assertThat(describe(task).containers().getFirst().healthStatusAsString()).isEqualTo("HEALTHY");
    }

    @Test
    void healthOfATaskOnAnotherInstanceIsIgnored() {
        OwnerAndStranger agents = ownerAndStranger();
        Task task = agents.task();

        agents.stranger().client.report(TaskHealthReport.of(task.taskArn(), Map.of("main", "UNHEALTHY")));
        agents.owner().client.report(TaskHealthReport.of(task.taskArn(), Map.of("main", "HEALTHY")));

        await().atMost(WAIT).until(() -> "HEALTHY".equals(describe(task).healthStatusAsString()));
        assertThat(describe(task).containers().getFirst().healthStatusAsString()).isEqualTo("HEALTHY");
    }

    @Test
    void statsReportedOverTheChannelAreKeptOnlyFromTheTasksOwnAgent() {
        OwnerAndStranger agents = ownerAndStranger();
        Task task = agents.task();

        agents.stranger().client.report(TaskStatsReport.of(List.of(new TaskStatsReport.TaskUsage(task.taskArn(), 9, 9))));
        agents.owner().client.report(TaskStatsReport.of(List.of(
                new TaskStatsReport.TaskUsage(task.taskArn(), 0.5, 1024))));

        await().atMost(WAIT).until(() -> fixture.plane().taskStats().latest(task.taskArn()).isPresent());
        assertThat(fixture.plane().taskStats().history(task.taskArn())).singleElement()
                .satisfies(s -> assertThat(s.cpuVcpus()).isEqualTo(0.5))
                .satisfies(s -> assertThat(s.memoryBytes()).isEqualTo(1024));
    }

    /** A task on its owner's instance, pushed to its agent, and the connected agent of another instance. */
    private record OwnerAndStranger(RecordingEngine owner, RecordingEngine stranger, Task task) {
    }

    private OwnerAndStranger ownerAndStranger() {
        String other = fixture.registerInstance("default");
        RecordingEngine owner = fixture.connectAgent(other);
        await().atMost(WAIT).until(() -> fixture.agentConnected("default", other));
        Task task = runOne();
        await().atMost(WAIT).until(() -> assignmentOrNull(owner.latest(), task.taskArn()) != null);
        RecordingEngine stranger = fixture.connectAgent(instance);
        await().atMost(WAIT).until(() -> stranger.client.isConnected());
        return new OwnerAndStranger(owner, stranger, task);
    }

    @Test
    void aContainerLogsRequestIsAnsweredByTheAgentOfTheInstanceAskedAndOnlyByAConnectedOne() throws Exception {
        String other = fixture.registerInstance("default");
        AgentChannelClient agent = new AgentChannelClient(instance, fixture::endpoint,
                fixture.signer(ChannelFixture.SECRET_KEY), desired -> { }, refresh -> { },
                request -> ContainerLogsReply.of(request.requestId(), List.of(new ContainerLogsReply.LogLine(
                        request.afterEpochNanos() + 1, "stdout", "line of " + request.containerName())), false),
                ChannelFixture.FAST_CLIENT).start();
        try {
            await().atMost(WAIT).until(() -> fixture.plane().agentChannel().isConnected(instance));

            ContainerLogsReply answered = fixture.plane().agentChannel().containerLogs(instance,
                    ContainerLogsRequest.of("r-1", "arn:aws:ecs:us-east-1:123456789012:task/default/t", "app", 10, 41),
                    WAIT);
            ContainerLogsReply unanswered = fixture.plane().agentChannel().containerLogs(other,
                    ContainerLogsRequest.of("r-2", "arn:aws:ecs:us-east-1:123456789012:task/default/t", "app", 10, 0),
                    WAIT);

            assertThat(answered.error()).isEmpty();
            assertThat(answered.requestId()).isEqualTo("r-1");
            assertThat(answered.lines()).containsExactly(new ContainerLogsReply.LogLine(42, "stdout", "line of app"));
            assertThat(unanswered.lines()).isEmpty();
            assertThat(unanswered.error()).contains("not connected");
        } finally {
            agent.close();
        }
    }

    @Test
    void aNewerConnectionTakesOverAndTheOldOneClosingDoesNotMarkTheInstanceDisconnected() {
        URI url = fixture.signer(ChannelFixture.SECRET_KEY).sign(fixture.endpoint(), instance);
        RecordingWebSocket first = RecordingWebSocket.open(url);
        await().atMost(WAIT).until(() -> first.messages().size() == 1);

        RecordingWebSocket second = RecordingWebSocket.open(url);

        await().atMost(WAIT).until(() -> first.closeCode().getNow(0) == AgentMessages.CLOSE_SUPERSEDED);
        await().atMost(WAIT).until(() -> second.messages().size() == 1);
        // Once the superseded session has settled presence, only the newer one is left.
        await().atMost(WAIT).until(() -> fixture.plane().agentChannel().sessionCount() == 1);
        assertThat(fixture.agentConnected("default", instance)).isTrue();

        second.close();
        await().atMost(WAIT).until(() -> !fixture.agentConnected("default", instance));
        first.close();
    }

    @Test
    void anAgentOfANewerProtocolIsToldSoWithTheVersionCloseCode() {
        URI url = fixture.signer(ChannelFixture.SECRET_KEY).sign(fixture.endpoint(), instance);
        try (RecordingWebSocket agent = RecordingWebSocket.open(url)) {
            await().atMost(WAIT).until(() -> agent.messages().size() == 1);

            agent.send("{\"type\":\"taskHealth\",\"protocolVersion\":" + (AgentChannel.PROTOCOL_VERSION + 1)
                    + ",\"taskArn\":\"arn:t\",\"containers\":{}}");

            await().atMost(WAIT).until(() -> agent.closeCode().getNow(0) == AgentMessages.CLOSE_UNSUPPORTED_VERSION);
        }
    }

    @Test
    void anAgentThatStopsAnsweringPingsIsDisconnected() throws Exception {
        try (SilentWebSocket silent = SilentWebSocket.open(fixture.signer(ChannelFixture.SECRET_KEY)
                .sign(fixture.endpoint(), instance))) {
            await().atMost(WAIT).until(() -> fixture.agentConnected("default", instance));

            // FAST pings every 200 ms and gives up after 1 s of silence.
            await().atMost(WAIT).until(() -> !fixture.agentConnected("default", instance));
            assertThat(silent.closedByServer()).isTrue();
        }
    }

    @Test
    void anUnsignedHandshakeIsRefusedBeforeTheUpgrade() {
        URI unsigned = URI.create("ws://127.0.0.1:" + fixture.plane().port()
                + "/agent/v1/connect?containerInstance=" + instance);

        assertThat(handshakeStatus(unsigned)).isEqualTo(401);
        assertThat(fixture.agentConnected("default", instance)).isFalse();
    }

    @Test
    void aWrongSecretOrATamperedUrlIsRefused() {
        URI wrongSecret = fixture.signer("not/the/secret/at/all/000000000000000000").sign(fixture.endpoint(), instance);
        assertThat(handshakeStatus(wrongSecret)).isEqualTo(403);

        String other = fixture.registerInstance("default");
        URI signed = fixture.signer(ChannelFixture.SECRET_KEY).sign(fixture.endpoint(), instance);
        URI tampered = URI.create(signed.toString().replace(encoded(instance), encoded(other)));
        assertThat(tampered).isNotEqualTo(signed);
        assertThat(handshakeStatus(tampered)).isEqualTo(403);
        assertThat(fixture.agentConnected("default", other)).isFalse();
    }

    @Test
    void anUnknownOrDeregisteredInstanceIsRefused() {
        String unknown = instance.substring(0, instance.lastIndexOf('/') + 1) + "0123456789abcdef0123456789abcdef";
        assertThat(handshakeStatus(fixture.signer(ChannelFixture.SECRET_KEY).sign(fixture.endpoint(), unknown)))
                .isEqualTo(404);

        fixture.ecs().deregisterContainerInstance(r -> r.cluster("default").containerInstance(instance));
        assertThat(handshakeStatus(fixture.signer(ChannelFixture.SECRET_KEY).sign(fixture.endpoint(), instance)))
                .isEqualTo(410);
    }

    @Test
    void anotherPathIsNotAWebSocketEndpoint() {
        URI signed = fixture.signer(ChannelFixture.SECRET_KEY).sign(fixture.endpoint(), instance);
        URI elsewhere = URI.create(signed.toString().replace("/agent/v1/connect", "/agent/v9/connect"));
        assertThat(handshakeStatus(elsewhere)).isEqualTo(404);
    }

    // ---- helpers -----------------------------------------------------------------------------

    private Task runOne() {
        RunTaskResponse response = fixture.ecs().runTask(r -> r.cluster("default").taskDefinition("sleeper"));
        assertThat(response.failures()).isEmpty();
        return response.tasks().getFirst();
    }

    private Task describe(Task task) {
        return fixture.ecs().describeTasks(r -> r.cluster("default").tasks(task.taskArn())).tasks().getFirst();
    }

    private static String desiredStatusOf(DesiredTasks desired, String taskArn) {
        TaskAssignment a = assignmentOrNull(desired, taskArn);
        return a == null ? "" : a.task().desiredStatus();
    }

    private static TaskAssignment assignmentOf(DesiredTasks desired, String taskArn) {
        TaskAssignment a = assignmentOrNull(desired, taskArn);
        assertThat(a).as("task %s in the desired state", taskArn).isNotNull();
        return a;
    }

    private static TaskAssignment assignmentOrNull(DesiredTasks desired, String taskArn) {
        if (desired == null) {
            return null;
        }
        return desired.tasks().stream().filter(a -> taskArn.equals(a.task().taskArn())).findFirst().orElse(null);
    }

    private static void assertRevisionsNeverGoBack(RecordingEngine agent) {
        List<Long> revisions = agent.received.stream().map(DesiredTasks::revision).toList();
        assertThat(revisions).isSorted();
    }

    private static String encoded(String arn) {
        return arn.replace(":", "%3A").replace("/", "%2F");
    }

    private static int handshakeStatus(URI url) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            Throwable failure = catchThrowable(() -> http.newWebSocketBuilder()
                    .buildAsync(url, new WebSocket.Listener() { }).join());
            assertThat(failure).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(WebSocketHandshakeException.class);
            return ((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode();
        }
    }
}
