package dev.stevedore.agent.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A {@link ContainerRuntime} that times each call to the engine it wraps and tells a
 * {@link RuntimeObserver}. Calls that wait for something other than the engine's work (an exit, an
 * event stream, a log stream) are passed through untimed: their duration is the container's, not
 * Docker's. Every method of the port must be delegated here.
 */
public final class ObservedContainerRuntime implements ContainerRuntime {
    static final String OK = "ok";

    private final ContainerRuntime runtime;
    private final RuntimeObserver observer;
    /** When each container created and not yet started was asked for, by the id the engine gave it. */
    private final Map<String, Long> createdAt = new ConcurrentHashMap<>();

    public ObservedContainerRuntime(ContainerRuntime runtime, RuntimeObserver observer) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    private <T> T timed(String call, Supplier<T> work) {
        long started = System.nanoTime();
        String outcome = OK;
        try {
            return work.get();
        } catch (RuntimeException e) {
            outcome = outcomeOf(e);
            throw e;
        } finally {
            observer.called(call, outcome, System.nanoTime() - started);
        }
    }

    private static String outcomeOf(RuntimeException e) {
        return e instanceof ContainerRuntimeException failed ? failed.kind().name() : "ERROR";
    }

    private void timed(String call, Runnable work) {
        timed(call, () -> {
            work.run();
            return null;
        });
    }

    @Override
    public HostInfo hostInfo() {
        return timed("hostInfo", runtime::hostInfo);
    }

    @Override
    public Optional<ImageInfo> inspectImage(String image) {
        return timed("inspectImage", () -> runtime.inspectImage(image));
    }

    @Override
    public ImageInfo pullImage(String image, Optional<RegistryAuth> auth) {
        return timed("pullImage", () -> runtime.pullImage(image, auth));
    }

    @Override
    public ImageInfo ensureImage(String image, Optional<RegistryAuth> auth) {
        return timed("ensureImage", () -> runtime.ensureImage(image, auth));
    }

    @Override
    public void removeImage(String image) {
        timed("removeImage", () -> runtime.removeImage(image));
    }

    @Override
    public String createContainer(ContainerSpec spec) {
        long asked = System.nanoTime();
        String id = timed("createContainer", () -> runtime.createContainer(spec));
        createdAt.put(id, asked);
        return id;
    }

    @Override
    public void startContainer(String container) {
        // A container adopted after a restart was created by an earlier run: its start alone is timed.
        long since = Objects.requireNonNullElse(createdAt.remove(container), System.nanoTime());
        String outcome = OK;
        try {
            timed("startContainer", () -> runtime.startContainer(container));
        } catch (RuntimeException e) {
            outcome = outcomeOf(e);
            throw e;
        } finally {
            observer.containerStarted(outcome, System.nanoTime() - since);
        }
    }

    @Override
    public void stopContainer(String container, Duration timeout) {
        timed("stopContainer", () -> runtime.stopContainer(container, timeout));
    }

    @Override
    public void removeContainer(String container) {
        createdAt.remove(container);
        timed("removeContainer", () -> runtime.removeContainer(container));
    }

    @Override
    public ContainerStatus inspectContainer(String container) {
        return timed("inspectContainer", () -> runtime.inspectContainer(container));
    }

    @Override
    public Optional<ContainerStatus> findContainer(String container) {
        return timed("findContainer", () -> runtime.findContainer(container));
    }

    @Override
    public List<ContainerStatus> listContainers(Map<String, String> labels) {
        return timed("listContainers", () -> runtime.listContainers(labels));
    }

    @Override
    public Optional<ContainerStatus> awaitExit(String container, Duration timeout) {
        return runtime.awaitExit(container, timeout);
    }

    @Override
    public ContainerLogs logs(String container) {
        return runtime.logs(container);
    }

    @Override
    public java.util.List<ContainerLogLine> logLines(String container, int tail, long sinceEpochSecond) {
        return runtime.logLines(container, tail, sinceEpochSecond);
    }

    @Override
    public String statsJson(String container) {
        return timed("statsJson", () -> runtime.statsJson(container));
    }

    @Override
    public ContainerUsage usage(String container) {
        return timed("usage", () -> runtime.usage(container));
    }

    @Override
    public EventSubscription subscribe(Map<String, String> labels, Consumer<ContainerEvent> listener, Runnable resumed) {
        return runtime.subscribe(labels, listener, resumed);
    }

    @Override
    public VolumeInfo createVolume(VolumeSpec spec) {
        return timed("createVolume", () -> runtime.createVolume(spec));
    }

    @Override
    public Optional<VolumeInfo> inspectVolume(String name) {
        return timed("inspectVolume", () -> runtime.inspectVolume(name));
    }

    @Override
    public void removeVolume(String name) {
        timed("removeVolume", () -> runtime.removeVolume(name));
    }

    @Override
    public void loadImages(byte[] archive) {
        timed("loadImages", () -> runtime.loadImages(archive));
    }

    @Override
    public NetworkInfo ensureNetwork(NetworkSpec spec) {
        return timed("ensureNetwork", () -> runtime.ensureNetwork(spec));
    }

    @Override
    public Optional<NetworkInfo> inspectNetwork(String name) {
        return timed("inspectNetwork", () -> runtime.inspectNetwork(name));
    }

    @Override
    public void removeNetwork(String name) {
        timed("removeNetwork", () -> runtime.removeNetwork(name));
    }

    @Override
    public void close() {
        runtime.close();
    }
}
