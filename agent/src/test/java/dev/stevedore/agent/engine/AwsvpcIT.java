package dev.stevedore.agent.engine;

import static dev.stevedore.agent.engine.TestTasks.container;
import static dev.stevedore.agent.engine.TestTasks.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stevedore.agent.runtime.ContainerStatus;
import dev.stevedore.agent.runtime.NetworkSpec;
import dev.stevedore.model.agent.NetworkInterfaceAssignment;
import dev.stevedore.model.agent.TaskAssignment;
import dev.stevedore.model.ecs.ContainerStateChange;
import dev.stevedore.model.ecs.SubmitTaskStateChangeRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code awsvpc} tasks on the real Docker engine: each on a test-only subnet block (10.213.x.0/24),
 * whose network the test removes afterwards. The host reaches a task at its private address through
 * the subnet's bridge.
 */
class AwsvpcIT extends EngineITBase {

    /** Serves the task's hostname and MAC address, so that one GET shows its address, name and interface. */
    private static final String SERVE_HOSTNAME = "mkdir -p /www && hostname > /www/index.html"
            + " && cat /sys/class/net/eth0/address >> /www/index.html && exec httpd -f -p 80 -h /www";

    /** An interface on a subnet of this test, whose network is removed afterwards. */
    private NetworkInterfaceAssignment eni(String block, String address) {
        String subnet = "subnet-it" + testId.replace("-", "");
        trackNetwork(SubnetNetworks.networkName(subnet));
        return TestTasks.eni(subnet, block, address);
    }

    private static Optional<ContainerStatus> pauseOf(List<ContainerStatus> containers) {
        return containers.stream().filter(c -> c.labels().containsKey(Labels.PAUSE_FOR_ATTACHMENT)).findFirst();
    }

    private static String awaitAnswer(String address) {
        return await().atMost(PATIENCE).ignoreExceptions().until(() -> httpGet(address, 80).strip(), body -> !body.isEmpty());
    }

    /** Runs the task on a first engine until the control plane acknowledged RUNNING, then closes that engine. */
    private void runThenCloseEngine(TaskAssignment task) {
        String arn = task.task().taskArn();
        TaskEngine first = startEngine();
        first.apply(desired(task));
        awaitReported(arn, "task RUNNING");
        await().atMost(PATIENCE).until(() -> acknowledged(arn) == WireStatus.RUNNING);
        first.close();
    }

    @Test
    void aTaskAnswersAtItsPrivateAddressWithItsDnsNameAndGoesAwayWithoutATrace() {
        NetworkInterfaceAssignment eni = eni("10.213.7.0/24", "10.213.7.10");
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("awsvpc-web"))
                .awsvpc(eni)
                .container(shell("web", SERVE_HOSTNAME).portMappings(List.of(TestTasks.port(80))).stopTimeout(1))
                .build();
        TaskEngine engine = startEngine(reporter, settings().withCleanupDelay(Duration.ZERO));

        engine.apply(desired(task));
        awaitTask(engine, arn, "RUNNING");

        assertThat(awaitAnswer(eni.privateIpv4Address())).isEqualTo(eni.privateDnsName() + "\n" + eni.macAddress());
        ContainerStatus pause = pauseOf(containersOf(arn)).orElseThrow();
        assertThat(pause.ipAddresses()).containsEntry(SubnetNetworks.networkName(eni.subnetId()), eni.privateIpv4Address());
        assertThat(runtime.inspectNetwork(SubnetNetworks.networkName(eni.subnetId()))).hasValueSatisfying(n -> {
            assertThat(n.subnets()).containsExactly("10.213.7.0/24");
            assertThat(n.labels()).containsEntry(SubnetNetworks.LABEL, eni.subnetId());
        });
        awaitReported(arn, "task RUNNING");
        // awsvpc publishes nothing on the host: the ports are open on the task's own address.
        assertThat(reporter.container(arn, "web")).hasValueSatisfying(c -> assertThat(c.networkBindings()).isNull());

        engine.apply(desired());
        await().atMost(PATIENCE).until(() -> containersOf(arn).isEmpty());

        // ATTACHING is sent as the namespace is being made, unless ATTACHED was ready before it went out.
        List<String> transitions = List.copyOf(reporter.transitions(arn, eni.attachmentArn()));
        assertThat(transitions).isIn(
                List.of("attachment ATTACHING", "attachment ATTACHED", "task RUNNING", "attachment DETACHED",
                        "task STOPPED"),
                List.of("attachment ATTACHED", "task RUNNING", "attachment DETACHED", "task STOPPED"));
        // The subnet's network stays for the next task on it.
        assertThat(runtime.inspectNetwork(SubnetNetworks.networkName(eni.subnetId()))).isPresent();
    }

    @Test
    void containersOfOneTaskTalkOverLocalhost() {
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("awsvpc-lo"))
                .awsvpc(eni("10.213.9.0/24", "10.213.9.11"))
                .container(shell("server", "mkdir -p /www && echo from-server > /www/index.html"
                        + " && exec httpd -f -p 127.0.0.1:8080 -h /www").stopTimeout(1))
                .container(shell("client", "until wget -q -O /tmp/got http://127.0.0.1:8080/; do sleep 0.2; done;"
                        + " grep -q from-server /tmp/got").essential(false))
                .build();
        TaskEngine engine = startEngine();

        engine.apply(desired(task));

        await().atMost(PATIENCE).until(() -> reporter.container(arn, "client").map(c -> "STOPPED".equals(c.status())).orElse(false));
        assertThat(reporter.container(arn, "client")).hasValueSatisfying(c -> assertThat(c.exitCode()).isEqualTo(0));
        assertThat(engine.task(arn).orElseThrow().lastStatus()).isEqualTo("RUNNING");
    }

    @Test
    void aContainerOverTheTasksMemoryLimitStopsWithEcsOutOfMemoryReason() {
        NetworkInterfaceAssignment eni = eni("10.213.10.0/24", "10.213.10.12");
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("awsvpc-oom"))
                .awsvpc(eni)
                .limits("256", "64")
                .container(shell("hog", "x=a; while true; do x=$x$x; done"))
                .build();
        TaskEngine engine = startEngine();

        engine.apply(desired(task));
        awaitReported(arn, "task STOPPED");

        SubmitTaskStateChangeRequest stopped = reporter.taskChange(arn, "STOPPED").orElseThrow();
        assertThat(stopped.reason()).isEqualTo("Essential container in task exited");
        ContainerStateChange hog = stopped.containers().stream().filter(c -> c.containerName().equals("hog")).findFirst().orElseThrow();
        assertThat(hog.reason()).isEqualTo("OutOfMemoryError: Container killed due to memory usage");
        assertThat(hog.exitCode()).isEqualTo(137);
        assertThat(reporter.transitions(arn, eni.attachmentArn())).endsWith("attachment DETACHED", "task STOPPED");
    }

    @Test
    void aSubnetBlockOverlappingAnotherNetworkFailsTheTaskWithAClearReason() {
        String other = "stevedore-it-overlap-" + testId;
        trackNetwork(other);
        runtime.ensureNetwork(new NetworkSpec(other, "10.213.8.0/24", "10.213.8.1", Map.of()));
        NetworkInterfaceAssignment eni = eni("10.213.8.0/25", "10.213.8.20");
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("awsvpc-overlap"))
                .awsvpc(eni)
                .container(container("app", "sleep", "600"))
                .build();
        TaskEngine engine = startEngine();

        engine.apply(desired(task));
        awaitReported(arn, "task STOPPED");

        SubmitTaskStateChangeRequest stopped = reporter.taskChange(arn, "STOPPED").orElseThrow();
        assertThat(stopped.reason())
                .startsWith("ResourceInitializationError: cannot set up the task's network on subnet " + eni.subnetId())
                .containsIgnoringCase("overlap");
        assertThat(engine.task(arn).orElseThrow().stopCode()).contains("TaskFailedToStart");
        assertThat(reporter.transitions(arn, eni.attachmentArn())).containsExactly("attachment DETACHED", "task STOPPED");
    }

    @Test
    void aRestartedEngineAdoptsThePauseContainerAndTheTaskKeepsItsAddress() {
        NetworkInterfaceAssignment eni = eni("10.213.11.0/24", "10.213.11.13");
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("awsvpc-adopt"))
                .awsvpc(eni)
                .container(shell("web", SERVE_HOSTNAME).stopTimeout(1))
                .build();
        runThenCloseEngine(task);
        String pause = pauseOf(containersOf(arn)).orElseThrow().id();

        RecordingReporter afterRestart = new RecordingReporter();
        TaskEngine second = startEngine(afterRestart, settings());
        second.apply(desired(TestTasks.reportedRunning(task)));
        awaitTask(second, arn, "RUNNING");

        assertThat(pauseOf(containersOf(arn))).hasValueSatisfying(p -> assertThat(p.id()).isEqualTo(pause));
        assertThat(awaitAnswer(eni.privateIpv4Address())).isEqualTo(eni.privateDnsName() + "\n" + eni.macAddress());
        // Nothing was attached again, nor reported again.
        assertThat(afterRestart.transitions(arn, eni.attachmentArn())).isEmpty();
    }

    @Test
    void aTaskWhosePauseContainerVanishedWhileTheAgentWasDownIsStoppedWithAReason() {
        NetworkInterfaceAssignment eni = eni("10.213.12.0/24", "10.213.12.14");
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("awsvpc-vanish"))
                .awsvpc(eni)
                .container(container("app", "sleep", "600").stopTimeout(1))
                .build();
        runThenCloseEngine(task);
        runtime.removeContainer(pauseOf(containersOf(arn)).orElseThrow().id());

        RecordingReporter afterRestart = new RecordingReporter();
        TaskEngine second = startEngine(afterRestart, settings());
        second.apply(desired(TestTasks.reportedRunning(task)));
        await().atMost(PATIENCE).until(() -> afterRestart.transitions(arn).contains("task STOPPED"));

        SubmitTaskStateChangeRequest stopped = afterRestart.taskChange(arn, "STOPPED").orElseThrow();
        assertThat(stopped.reason()).isEqualTo("The task's network namespace was lost: its pause container was removed outside of the agent");
        assertThat(afterRestart.transitions(arn, eni.attachmentArn())).containsExactly("attachment DETACHED", "task STOPPED");
    }

    @Test
    void aSubnetNetworkRemovedOutsideOfTheAgentIsMadeAgainForTheNextTask() {
        NetworkInterfaceAssignment first = eni("10.213.13.0/24", "10.213.13.15");
        String firstArn = newTaskArn();
        TaskEngine engine = startEngine(reporter, settings().withCleanupDelay(Duration.ZERO));
        engine.apply(desired(TestTasks.task(firstArn, family("awsvpc-gone-1")).awsvpc(first)
                .container(container("app", "sleep", "600").stopTimeout(1)).build()));
        awaitTask(engine, firstArn, "RUNNING");
        engine.apply(desired());
        await().atMost(PATIENCE).until(() -> containersOf(firstArn).isEmpty());
        // The engine has the network no more, while this agent remembers it from the first task.
        runtime.removeNetwork(SubnetNetworks.networkName(first.subnetId()));

        NetworkInterfaceAssignment second = TestTasks.eni(first.subnetId(), "10.213.13.0/24", "10.213.13.16");
        String secondArn = newTaskArn();
        engine.apply(desired(TestTasks.task(secondArn, family("awsvpc-gone-2")).awsvpc(second)
                .container(shell("web", SERVE_HOSTNAME).stopTimeout(1)).build()));
        awaitTask(engine, secondArn, "RUNNING");

        assertThat(awaitAnswer(second.privateIpv4Address())).isEqualTo(second.privateDnsName() + "\n" + second.macAddress());
    }

    @Test
    void aPauseContainerThatCannotStartLeavesNoContainerOfTheTaskBehind() {
        NetworkInterfaceAssignment held = eni("10.213.14.0/24", "10.213.14.17");
        String holderArn = newTaskArn();
        TaskEngine engine = startEngine(reporter, settings().withCleanupDelay(Duration.ZERO));
        TaskAssignment holder = TestTasks.task(holderArn, family("awsvpc-held")).awsvpc(held)
                .container(container("app", "sleep", "600").stopTimeout(1)).build();
        engine.apply(desired(holder));
        awaitTask(engine, holderArn, "RUNNING");

        // A second interface with the same address: its pause container is created (as is the task's
        // container, meanwhile) but the engine refuses to start it, the address being in use.
        NetworkInterfaceAssignment clash = new NetworkInterfaceAssignment(held.attachmentArn() + "-clash", "eni-0c1a5h",
                "0a:58:0a:d5:0e:ff", held.privateIpv4Address(), held.privateDnsName(), held.subnetId(), "10.213.14.0/24");
        String arn = newTaskArn();
        TaskAssignment task = TestTasks.task(arn, family("awsvpc-clash")).awsvpc(clash)
                .container(container("app", "sleep", "600").stopTimeout(1))
                .build();
        engine.apply(desired(holder, task));
        awaitReported(arn, "task STOPPED");

        SubmitTaskStateChangeRequest stopped = reporter.taskChange(arn, "STOPPED").orElseThrow();
        assertThat(stopped.reason()).startsWith("ResourceInitializationError: cannot set up the task's network on subnet "
                + clash.subnetId());
        await().atMost(PATIENCE).until(() -> containersOf(arn).isEmpty());
        assertThat(engine.task(holderArn).orElseThrow().lastStatus()).isEqualTo("RUNNING");
    }

    @Test
    void thePauseImageIsAskedForOnceAndMadeAgainWhenACreateSaysItIsGone() {
        CountingRuntime counting = new CountingRuntime(runtime);
        TaskEngine engine = startEngine(counting, reporter, settings());
        List<NetworkInterfaceAssignment> enis = List.of(eni("10.213.15.0/24", "10.213.15.18"),
                TestTasks.eni("subnet-it" + testId.replace("-", ""), "10.213.15.0/24", "10.213.15.19"),
                TestTasks.eni("subnet-it" + testId.replace("-", ""), "10.213.15.0/24", "10.213.15.20"));
        List<TaskAssignment> tasks = new java.util.ArrayList<>();
        List<Integer> inspections = new java.util.ArrayList<>();
        for (NetworkInterfaceAssignment eni : enis) {
            if (tasks.size() == 2) {
                // As if the image had been removed behind the agent's back since the first two tasks.
                counting.loseImageForCreates(PauseImage.IMAGE, 1);
            }
            String arn = newTaskArn();
            tasks.add(TestTasks.task(arn, family("awsvpc-image")).awsvpc(eni)
                    .container(container("app", "sleep", "600").stopTimeout(1)).build());
            engine.apply(desired(tasks.toArray(TaskAssignment[]::new)));
            awaitTask(engine, arn, "RUNNING");
            assertThat(pauseOf(containersOf(arn))).hasValueSatisfying(p ->
                    assertThat(p.ipAddresses()).containsEntry(SubnetNetworks.networkName(eni.subnetId()), eni.privateIpv4Address()));
            inspections.add(counting.imageInspections(PauseImage.IMAGE));
        }

        // Asked for by the first task (twice when the engine had to load it), not by the second, and
        // once more by the third, after its create said the image was gone.
        assertThat(inspections.get(0)).isPositive();
        assertThat(inspections.get(1)).isEqualTo(inspections.get(0));
        assertThat(inspections.get(2)).isEqualTo(inspections.get(1) + 1);
    }
}
