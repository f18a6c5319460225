package dev.stevedore.agent.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The container engine as the agent's task engine uses it: images, containers, their events and
 * logs, named volumes, and facts about the host.
 *
 * <p>Every method blocks until the engine has answered and is meant to be called from a virtual
 * thread; implementations are safe for concurrent use. Failures are
 * {@link ContainerRuntimeException}s. Containers are addressed by engine id or name.
 */
public interface ContainerRuntime extends AutoCloseable {

    /** The host's resources and the engine's versions. */
    HostInfo hostInfo();

    /** The image if it is on the host. */
    Optional<ImageInfo> inspectImage(String image);

    /**
     * Pulls the image from its registry, even when a copy is already on the host (ECS's default
     * pull behaviour re-checks the tag). A reference without tag or digest means {@code :latest}.
     *
     * @throws ContainerRuntimeException {@code IMAGE_NOT_FOUND} when the registry has no such
     *                                   image, {@code PULL_FAILED} for any other failure; the message
     *                                   reads as Docker's client prints the failure (a refusal of the
     *                                   daemon's starts with {@link ContainerRuntimeException#DAEMON_RESPONSE})
     */
    ImageInfo pullImage(String image, Optional<RegistryAuth> auth);

    /**
     * Makes sure the image is on the host, pulling it only when it is absent.
     *
     * @throws ContainerRuntimeException as {@link #pullImage}
     */
    ImageInfo ensureImage(String image, Optional<RegistryAuth> auth);

    /**
     * Removes the image from the host; absent images are fine.
     *
     * @throws ContainerRuntimeException {@code CONFLICT} while a container still uses it
     */
    void removeImage(String image);

    /**
     * Creates (does not start) a container.
     *
     * @return the engine's container id
     * @throws ContainerRuntimeException {@code IMAGE_NOT_FOUND} when the image is not on the host,
     *                                   {@code CONFLICT} when the name is taken,
     *                                   {@code CREATE_FAILED} otherwise
     */
    String createContainer(ContainerSpec spec);

    /**
     * Starts a created or exited container; starting a running one does nothing.
     *
     * @throws ContainerRuntimeException {@code NOT_FOUND}, or {@code START_FAILED} when its process
     *                                   could not be started (the reason is in the message)
     */
    void startContainer(String container);

    /**
     * Sends SIGTERM and, if the container is still running after {@code timeout}, SIGKILL; returns
     * once it has exited. Stopping a container that is not running does nothing.
     *
     * @throws ContainerRuntimeException {@code NOT_FOUND} or {@code STOP_FAILED}
     */
    void stopContainer(String container, Duration timeout);

    /**
     * Removes a container, killing it if it still runs, with its anonymous volumes. Idempotent: a
     * container that is already gone is fine, because clean-up runs again after crashes.
     *
     * @throws ContainerRuntimeException {@code REMOVE_FAILED}
     */
    void removeContainer(String container);

    /**
     * The container's current status.
     *
     * @throws ContainerRuntimeException {@code NOT_FOUND}
     */
    ContainerStatus inspectContainer(String container);

    /** The container's current status, if it exists. */
    Optional<ContainerStatus> findContainer(String container);

    /**
     * Every container, running or not, that carries all of the given labels with exactly these
     * values; used to adopt containers after an agent restart.
     */
    List<ContainerStatus> listContainers(Map<String, String> labels);

    /**
     * Waits until the container has exited, whether it is running now or only created and started
     * later.
     *
     * @return its final status, or empty if it had not exited when {@code timeout} elapsed
     * @throws ContainerRuntimeException {@code NOT_FOUND}, also when it is removed while waiting
     */
    Optional<ContainerStatus> awaitExit(String container, Duration timeout);

    /**
     * Everything the container wrote to stdout and stderr so far.
     *
     * @throws ContainerRuntimeException {@code NOT_FOUND}
     */
    ContainerLogs logs(String container);

    /**
     * The container's newest lines with the engine's timestamps ({@code docker logs --timestamps --tail
     * TAIL --since SINCE}), oldest first: at most {@code tail}, and of those only the ones of the second
     * {@code sinceEpochSecond} or later (0: no such bound). Read from what the engine keeps (the json-file
     * driver's file, or its cache of another driver's lines); a container whose driver keeps nothing
     * (none) is refused by the engine.
     *
     * @throws ContainerRuntimeException {@code NOT_FOUND}, or the engine's refusal
     */
    java.util.List<ContainerLogLine> logLines(String container, int tail, long sinceEpochSecond);

    /**
     * One sample of the container's resource usage, as the engine's stats JSON (not streamed): what
     * the task metadata endpoint passes on unchanged, as ECS does. The engine takes about a second
     * to answer, because it samples twice to fill in the previous CPU reading.
     *
     * @throws ContainerRuntimeException {@code NOT_FOUND}
     */
    String statsJson(String container);

    /**
     * One reading of the container's cumulative CPU time and its memory in use, answered at once
     * (no second sample): what the agent's periodic task stats are computed from.
     *
     * @throws ContainerRuntimeException {@code NOT_FOUND}
     */
    ContainerUsage usage(String container);

    /**
     * Feeds start, die, oom, health-status and destroy events of containers that carry all of the
     * given labels to {@code listener}, one at a time, in order, until the subscription is closed.
     * Events that happen after this method returns are delivered; the listener must return
     * quickly and not throw (what it throws is logged and dropped).
     *
     * @throws ContainerRuntimeException {@code ENGINE_UNAVAILABLE} when the engine cannot be reached
     */
    default EventSubscription subscribe(Map<String, String> labels, Consumer<ContainerEvent> listener) {
        return subscribe(labels, listener, () -> { });
    }

    /**
     * As {@link #subscribe(Map, Consumer)}, and runs {@code resumed} each time the feed is connected
     * again after it broke (the engine restarted, say). Events of the gap may be lost for good (a
     * restarted engine forgets its earlier events, and a container it finds dead on restoring sends
     * none), so a receiver that must know looks at the containers again when told.
     *
     * @throws ContainerRuntimeException {@code ENGINE_UNAVAILABLE} when the engine cannot be reached
     */
    EventSubscription subscribe(Map<String, String> labels, Consumer<ContainerEvent> listener, Runnable resumed);

    /** Creates a named volume, or returns the existing one of that name. */
    VolumeInfo createVolume(VolumeSpec spec);

    /** The named volume, if it exists. */
    Optional<VolumeInfo> inspectVolume(String name);

    /**
     * Removes a named volume; an absent one is fine.
     *
     * @throws ContainerRuntimeException {@code CONFLICT} while a container uses it
     */
    void removeVolume(String name);

    /**
     * Loads the images of an archive in the engine's save format (what {@code docker load} does):
     * for images the agent builds itself instead of pulling.
     *
     * @param archive an uncompressed tar holding {@code manifest.json}, the image configurations
     *                and their layers
     */
    void loadImages(byte[] archive);

    /**
     * Makes the user-defined bridge network, or returns the one of that name that already exists
     * with the same address block. Safe to call concurrently (calls for one name take turns), and a
     * network of that name created meanwhile by someone else is taken as it is.
     *
     * @throws ContainerRuntimeException {@code CONFLICT} when a network of that name exists with
     *                                   another address block, {@code CREATE_FAILED} when the engine
     *                                   refuses the network (for instance because its block overlaps
     *                                   another network's; the reason is in the message)
     */
    NetworkInfo ensureNetwork(NetworkSpec spec);

    /** The network of that name or id, if it exists. */
    Optional<NetworkInfo> inspectNetwork(String name);

    /**
     * Removes a network; an absent one is fine.
     *
     * @throws ContainerRuntimeException {@code CONFLICT} while a container is connected to it
     */
    void removeNetwork(String name);

    /** Releases the connection to the engine; open subscriptions are closed. */
    @Override
    void close();
}
