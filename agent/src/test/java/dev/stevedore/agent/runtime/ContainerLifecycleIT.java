package dev.stevedore.agent.runtime;

import static dev.stevedore.agent.runtime.DockerTestSupport.TEST_LABEL;
import static dev.stevedore.agent.runtime.DockerTestSupport.RUN_ID;
import static dev.stevedore.agent.runtime.DockerTestSupport.run;
import static dev.stevedore.agent.runtime.DockerTestSupport.runToExit;
import static dev.stevedore.agent.runtime.DockerTestSupport.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.stevedore.agent.runtime.ContainerRuntimeException.Kind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ContainerLifecycleIT extends RuntimeITBase {

    @Test
    void webServerOnDynamicHostPortAnswersOnLoopback() throws Exception {
        String id = run(runtime, spec("httpd")
                .command("httpd", "-f", "-p", "8080", "-h", "/var/www")
                .portMapping(PortMapping.tcp(8080).onHostIp("127.0.0.1"))
                .build());

        ContainerStatus status = runtime.inspectContainer(id);
        assertThat(status.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(status.portBindings()).singleElement().satisfies(b -> {
            assertThat(b.containerPort()).isEqualTo(8080);
            assertThat(b.protocol()).isEqualTo(Protocol.TCP);
            assertThat(b.hostIp()).isEqualTo("127.0.0.1");
            assertThat(b.hostPort()).isPositive();
        });
        int hostPort = status.hostPort(8080, Protocol.TCP).orElseThrow();

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + "/"))
                .timeout(Duration.ofSeconds(2))
                .build();
        AtomicReference<HttpResponse<String>> response = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
            response.set(http.send(request, HttpResponse.BodyHandlers.ofString()));
            return true;
        });
        assertThat(response.get().statusCode()).isEqualTo(200);
        assertThat(response.get().body()).contains("stevedore test page");
    }

    @Test
    void commandEnvironmentWorkingDirectoryAndUserReachTheProcess() {
        ContainerStatus done = runToExit(runtime, spec("env")
                .command("sh", "-c", "echo \"greeting=$GREETING\"; echo \"cwd=$(pwd)\"; echo \"uid=$(id -u)\"; echo \"user=$(id -un)\"")
                .env("GREETING", "hello world")
                .workingDirectory("/tmp")
                .user("nobody")
                .build());

        assertThat(done.exitCode()).hasValue(0);
        assertThat(runtime.logs(done.id()).stdout().lines())
                .containsExactly("greeting=hello world", "cwd=/tmp", "uid=65534", "user=nobody");
    }

    @Test
    void entryPointReplacesTheImageCommand() {
        ContainerStatus done = runToExit(runtime, spec("entrypoint")
                .entryPoint("echo", "from")
                .command("the", "entry", "point")
                .build());

        assertThat(runtime.logs(done.id()).stdout()).isEqualTo("from the entry point\n");
    }

    @Test
    void logsKeepStdoutAndStderrApart() {
        ContainerStatus done = runToExit(runtime, spec("streams")
                .command("sh", "-c", "echo to-out; echo to-err >&2")
                .build());

        ContainerLogs logs = runtime.logs(done.id());
        assertThat(logs.stdout()).isEqualTo("to-out\n");
        assertThat(logs.stderr()).isEqualTo("to-err\n");
        assertThat(logs.combined()).contains("to-out\n", "to-err\n");
    }

    @Test
    void logLinesComeWithTheEnginesTimestampsNewestTailOnlyAndFromASecondOn() {
        ContainerStatus done = runToExit(runtime, spec("lines")
                .command("sh", "-c", "echo one; echo two >&2; echo three")
                .build());

        var all = runtime.logLines(done.id(), 100, 0);
        var tail = runtime.logLines(done.id(), 2, 0);
        var later = runtime.logLines(done.id(), 100, all.getLast().at().getEpochSecond() + 1);

        assertThat(all).extracting(ContainerLogLine::text).containsExactlyInAnyOrder("one", "two", "three");
        assertThat(all).filteredOn(l -> l.text().equals("two")).extracting(ContainerLogLine::stream)
                .containsExactly("stderr");
        assertThat(all).allSatisfy(l -> assertThat(l.at()).isBetween(Instant.now().minusSeconds(120), Instant.now()));
        assertThat(tail).hasSize(2);
        assertThat(later).isEmpty();
    }

    @Test
    void exitCodeAndTimesAreReportedWhenTheProcessEnds() {
        Instant before = Instant.now().minusSeconds(1);
        ContainerStatus done = runToExit(runtime, spec("exit3").command("sh", "-c", "exit 3").build());

        assertThat(done.state()).isEqualTo(ContainerState.EXITED);
        assertThat(done.exitCode()).hasValue(3);
        assertThat(done.oomKilled()).isFalse();
        assertThat(done.startedAt()).hasValueSatisfying(t -> assertThat(t).isAfter(before));
        // The engine stamps startedAt after the process began, so a process that ends at once can
        // have finished "before" it started; both lie in the same moment.
        assertThat(done.finishedAt()).hasValueSatisfying(t -> assertThat(Duration.between(done.startedAt().get(), t).abs())
                .isLessThan(Duration.ofSeconds(5)));
        assertThat(done.labels()).containsEntry(TEST_LABEL, RUN_ID);
        assertThat(done.image()).isEqualTo(DockerTestSupport.TEST_IMAGE);
        assertThat(done.imageId()).startsWith("sha256:");
    }

    @Test
    void createdContainerHasNoExitCodeUntilItRuns() {
        ContainerSpec spec = spec("created").command("true").build();
        String id = runtime.createContainer(spec);

        ContainerStatus created = runtime.inspectContainer(id);
        assertThat(created.state()).isEqualTo(ContainerState.CREATED);
        assertThat(created.name()).isEqualTo(spec.name());
        assertThat(created.exitCode()).isEmpty();
        assertThat(created.startedAt()).isEmpty();
        assertThat(runtime.findContainer(spec.name())).map(ContainerStatus::id).hasValue(id);
    }

    @Test
    void awaitExitWaitsForACreatedContainerToBeStartedAndToFinish() throws Exception {
        String id = runtime.createContainer(spec("late-start").command("sh", "-c", "sleep 1; exit 5").build());

        Thread starter = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            runtime.startContainer(id);
        });
        ContainerStatus done = runtime.awaitExit(id, Duration.ofSeconds(20)).orElseThrow();
        starter.join();

        assertThat(done.exitCode()).hasValue(5);
    }

    @Test
    void awaitExitGivesUpAfterTheTimeout() {
        String id = run(runtime, spec("sleeper").command("sleep", "60").build());

        assertThat(runtime.awaitExit(id, Duration.ofMillis(500))).isEmpty();
        assertThat(runtime.inspectContainer(id).running()).isTrue();
    }

    @Test
    void startingAMissingExecutableIsAStartFailure() {
        String id = runtime.createContainer(spec("noexec").command("/no/such/program").build());

        assertThatThrownBy(() -> runtime.startContainer(id))
                .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.START_FAILED);
                    assertThat(e.getMessage()).contains("/no/such/program").doesNotStartWith("Status ");
                });
    }

    @Test
    void creatingFromAnImageNotOnTheHostIsImageNotFound() {
        ContainerSpec spec = spec("noimage").image("stevedore-test/absent:" + RUN_ID).build();

        assertThatThrownBy(() -> runtime.createContainer(spec))
                .isInstanceOfSatisfying(ContainerRuntimeException.class,
                        e -> assertThat(e.kind()).isEqualTo(Kind.IMAGE_NOT_FOUND));
    }

    @Test
    void aTakenNameIsAConflict() {
        ContainerSpec spec = spec("dup").command("true").build();
        runtime.createContainer(spec);

        assertThatThrownBy(() -> runtime.createContainer(spec))
                .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CONFLICT);
                    assertThat(e.getMessage()).contains(spec.name());
                });
    }

    @Test
    void unknownContainersAreNotFoundAndRemovingThemIsHarmless() {
        String missing = DockerTestSupport.uniqueName("missing");

        assertThatThrownBy(() -> runtime.inspectContainer(missing))
                .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
                    assertThat(e.getMessage()).contains("No such container");
                });
        assertThat(runtime.findContainer(missing)).isEmpty();
        runtime.removeContainer(missing);
        assertThatThrownBy(() -> runtime.startContainer(missing))
                .isInstanceOfSatisfying(ContainerRuntimeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
    }

    @Test
    void removeKillsARunningContainer() {
        String id = run(runtime, spec("remove").command("sleep", "60").build());

        runtime.removeContainer(id);

        assertThat(runtime.findContainer(id)).isEmpty();
    }

    @Test
    void containersAreListedByLabelWhateverTheirState() {
        String group = DockerTestSupport.uniqueName("group");
        String created = runtime.createContainer(spec("member").label("group", group).command("true").build());
        ContainerStatus exited = runToExit(runtime, spec("member").label("group", group).command("true").build());
        String running = run(runtime, spec("member").label("group", group).command("sleep", "60").build());
        run(runtime, spec("outsider").label("group", "other-" + group).command("sleep", "60").build());

        var listed = runtime.listContainers(Map.of(TEST_LABEL, RUN_ID, "group", group));

        assertThat(listed).extracting(ContainerStatus::id).containsExactlyInAnyOrder(created, exited.id(), running);
        assertThat(listed).extracting(ContainerStatus::state)
                .containsExactlyInAnyOrder(ContainerState.CREATED, ContainerState.EXITED, ContainerState.RUNNING);
    }

    @Test
    void hostnameExtraHostsAndDnsServersAreWrittenIntoTheContainer() {
        ContainerStatus done = runToExit(runtime, spec("names")
                .hostname("web-1")
                .extraHost(new ExtraHost("db.internal", "10.9.8.7"))
                .dnsServer("127.0.0.53")
                .command("sh", "-c", "hostname; grep db.internal /etc/hosts; grep nameserver /etc/resolv.conf")
                .build());

        assertThat(runtime.logs(done.id()).stdout().lines())
                .containsExactly("web-1", "10.9.8.7\tdb.internal", "nameserver 127.0.0.53");
    }
}
