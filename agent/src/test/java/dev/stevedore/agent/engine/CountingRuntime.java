package dev.stevedore.agent.engine;

import dev.stevedore.agent.runtime.ContainerLogs;
import dev.stevedore.agent.runtime.ContainerRuntime;
import dev.stevedore.agent.runtime.ContainerRuntimeException;
import dev.stevedore.agent.runtime.ContainerSpec;
import dev.stevedore.agent.runtime.ContainerStatus;
import dev.stevedore.agent.runtime.EventSubscription;
import dev.stevedore.agent.runtime.HostInfo;
import dev.stevedore.agent.runtime.ImageInfo;
import dev.stevedore.agent.runtime.NetworkInfo;
import dev.stevedore.agent.runtime.NetworkSpec;
import dev.stevedore.agent.runtime.RegistryAuth;
import dev.stevedore.agent.runtime.VolumeInfo;
import dev.stevedore.agent.runtime.VolumeSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A real runtime that counts how often the engine inspects each container and each image, and can
 * answer creates of one image as if the engine had lost it; the rest passes straight through.
 */
final class CountingRuntime implements ContainerRuntime {

    private final ContainerRuntime delegate;
    private final Map<String, Integer> inspections = new ConcurrentHashMap<>();
    private final Map<String, Integer> imageInspections = new ConcurrentHashMap<>();
    private final Map<String, Integer> lostImageCreates = new ConcurrentHashMap<>();

    CountingRuntime(ContainerRuntime delegate) {
        this.delegate = delegate;
    }

    /** How often the container was inspected, by id. */
    int inspections(String containerId) {
        return inspections.getOrDefault(containerId, 0);
    }

    /** How often the image was inspected (by itself or through {@link #ensureImage}). */
    int imageInspections(String image) {
        return imageInspections.getOrDefault(image, 0);
    }

    /** The next {@code times} creates of a container of {@code image} fail as the engine fails them when it has no such image. */
    void loseImageForCreates(String image, int times) {
        lostImageCreates.put(image, times);
    }

    @Override
    public ContainerStatus inspectContainer(String container) {
        inspections.merge(container, 1, Integer::sum);
        return delegate.inspectContainer(container);
    }

    @Override
    public Optional<ContainerStatus> findContainer(String container) {
        inspections.merge(container, 1, Integer::sum);
        return delegate.findContainer(container);
    }

    @Override
    public void loadImages(byte[] archive) {
        delegate.loadImages(archive);
    }

    @Override
    public NetworkInfo ensureNetwork(NetworkSpec spec) {
        return delegate.ensureNetwork(spec);
    }

    @Override
    public Optional<NetworkInfo> inspectNetwork(String name) {
        return delegate.inspectNetwork(name);
    }

    @Override
    public void removeNetwork(String name) {
        delegate.removeNetwork(name);
    }

    @Override
    public HostInfo hostInfo() {
        return delegate.hostInfo();
    }

    @Override
    public Optional<ImageInfo> inspectImage(String image) {
        imageInspections.merge(image, 1, Integer::sum);
        return delegate.inspectImage(image);
    }

    @Override
    public ImageInfo pullImage(String image, Optional<RegistryAuth> auth) {
        return delegate.pullImage(image, auth);
    }

    @Override
    public ImageInfo ensureImage(String image, Optional<RegistryAuth> auth) {
        imageInspections.merge(image, 1, Integer::sum);
        return delegate.ensureImage(image, auth);
    }

    @Override
    public void removeImage(String image) {
        delegate.removeImage(image);
    }

    @Override
    public String createContainer(ContainerSpec spec) {
        if (lostImageCreates.computeIfPresent(spec.image(), (image, left) -> left - 1) instanceof Integer left && left >= 0) {
            throw new ContainerRuntimeException(ContainerRuntimeException.Kind.IMAGE_NOT_FOUND, "No such image: " + spec.image());
        }
        return delegate.createContainer(spec);
    }

    @Override
    public void startContainer(String container) {
        delegate.startContainer(container);
    }

    @Override
    public void stopContainer(String container, Duration timeout) {
        delegate.stopContainer(container, timeout);
    }

    @Override
    public void removeContainer(String container) {
        delegate.removeContainer(container);
    }

    @Override
    public List<ContainerStatus> listContainers(Map<String, String> labels) {
        return delegate.listContainers(labels);
    }

    @Override
    public Optional<ContainerStatus> awaitExit(String container, Duration timeout) {
        return delegate.awaitExit(container, timeout);
    }

    @Override
    public ContainerLogs logs(String container) {
        return delegate.logs(container);
    }

    @Override
    public java.util.List<dev.stevedore.agent.runtime.ContainerLogLine> logLines(String container, int tail, long sinceEpochSecond) {
        return delegate.logLines(container, tail, sinceEpochSecond);
    }

    @Override
    public String statsJson(String container) {
        return delegate.statsJson(container);
    }

    @Override
    public dev.stevedore.agent.runtime.ContainerUsage usage(String container) {
        return delegate.usage(container);
    }

    @Override
    public EventSubscription subscribe(Map<String, String> labels, Consumer<dev.stevedore.agent.runtime.ContainerEvent> listener,
                                       Runnable resumed) {
        return delegate.subscribe(labels, listener, resumed);
    }

    @Override
    public VolumeInfo createVolume(VolumeSpec spec) {
        return delegate.createVolume(spec);
    }

    @Override
    public Optional<VolumeInfo> inspectVolume(String name) {
        return delegate.inspectVolume(name);
    }

    @Override
    public void removeVolume(String name) {
        delegate.removeVolume(name);
    }

    /** The delegate belongs to the test base, which closes it. */
    @Override
    public void close() {
    }
}
