package dev.stevedore.agent.engine;

import dev.stevedore.agent.runtime.HealthStatus;
import dev.stevedore.model.ecs.NetworkBinding;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the engine knows about one container of a task, and what of it the control plane has
 * acknowledged. Part of a {@link TaskRecord}; immutable, changed by making a new one.
 *
 * @param dockerName the engine name chosen for it; recorded before it is created so that a
 *                   creation interrupted by a crash is found again rather than repeated
 * @param started    whether its process ever ran (a START dependency is then met)
 * @param reason     why it stopped when that was not just its process exiting
 * @param reported   the last status the control plane acknowledged
 */
record ContainerRecord(
        String name,
        Optional<String> dockerId,
        Optional<String> dockerName,
        ContainerPhase phase,
        boolean started,
        OptionalInt exitCode,
        Optional<String> reason,
        HealthStatus health,
        List<NetworkBinding> networkBindings,
        Optional<String> imageDigest,
        WireStatus reported) {

    ContainerRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dockerId, "dockerId");
        Objects.requireNonNull(dockerName, "dockerName");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(health, "health");
        networkBindings = List.copyOf(networkBindings);
        Objects.requireNonNull(imageDigest, "imageDigest");
        Objects.requireNonNull(reported, "reported");
    }

    static ContainerRecord pending(String name) {
        return new ContainerRecord(name, Optional.empty(), Optional.empty(), ContainerPhase.NONE, false,
                OptionalInt.empty(), Optional.empty(), HealthStatus.NONE, List.of(), Optional.empty(), WireStatus.NONE);
    }

    /** A container found in the engine by its labels; its state is learnt by inspecting it. */
    static ContainerRecord found(String name, String dockerId, String dockerName) {
        return pending(name).created(dockerName, dockerId);
    }

    boolean stopped() {
        return phase == ContainerPhase.STOPPED;
    }

    ContainerRecord withDockerName(String value) {
        return new ContainerRecord(name, dockerId, Optional.of(value), phase, started, exitCode, reason, health,
                networkBindings, imageDigest, reported);
    }

    ContainerRecord withImageDigest(Optional<String> value) {
        return new ContainerRecord(name, dockerId, dockerName, phase, started, exitCode, reason, health,
                networkBindings, value, reported);
    }

    ContainerRecord created(String engineName, String id) {
        return new ContainerRecord(name, Optional.of(id), Optional.of(engineName), ContainerPhase.CREATED, started,
                exitCode, reason, health, networkBindings, imageDigest, reported);
    }

    ContainerRecord running(HealthStatus currentHealth, List<NetworkBinding> bindings) {
        return new ContainerRecord(name, dockerId, dockerName, ContainerPhase.RUNNING, true, exitCode, reason,
                currentHealth, bindings, imageDigest, reported);
    }

    ContainerRecord withHealth(HealthStatus value) {
        return new ContainerRecord(name, dockerId, dockerName, phase, started, exitCode, reason, value,
                networkBindings, imageDigest, reported);
    }

    /** Its process ended (or it vanished); an earlier reason is kept, since it tells more. */
    ContainerRecord exited(boolean everStarted, OptionalInt code, Optional<String> why, HealthStatus lastHealth) {
        return new ContainerRecord(name, dockerId, dockerName, ContainerPhase.STOPPED, started || everStarted, code,
                reason.or(() -> why), lastHealth, networkBindings, imageDigest, reported);
    }

    /** It will never run: a pull, create or start failure, or a dependency that cannot be met. */
    ContainerRecord failed(String why) {
        return new ContainerRecord(name, dockerId, dockerName, ContainerPhase.STOPPED, started, exitCode,
                Optional.of(why), health, networkBindings, imageDigest, reported);
    }

    /** Stopped together with its task without ever running. */
    ContainerRecord abandoned() {
        return phase == ContainerPhase.STOPPED ? this : new ContainerRecord(name, dockerId, dockerName,
                ContainerPhase.STOPPED, started, exitCode, reason, health, networkBindings, imageDigest, reported);
    }

    ContainerRecord acknowledged(WireStatus status) {
        return new ContainerRecord(name, dockerId, dockerName, phase, started, exitCode, reason, health,
                networkBindings, imageDigest, WireStatus.max(reported, status));
    }
}
