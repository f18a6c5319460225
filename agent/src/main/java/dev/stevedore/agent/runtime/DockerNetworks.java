package dev.stevedore.agent.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import dev.stevedore.agent.runtime.ContainerRuntimeException.Kind;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The bridge networks of {@link DockerContainerRuntime}: made with their address block, found, removed. */
final class DockerNetworks {
    private static final Logger log = LoggerFactory.getLogger(DockerNetworks.class);

    private final DockerClient client;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    DockerNetworks(DockerClient client) {
        this.client = client;
    }

    /**
     * Creates of one network from this runtime take turns: while one is under way the engine has
     * taken the block but does not show the network yet, so a second create is refused as
     * overlapping and cannot find the network it overlaps with.
     */
    NetworkInfo ensure(NetworkSpec spec) {
        ReentrantLock lock = locks.computeIfAbsent(spec.name(), n -> new ReentrantLock());
        lock.lock();
        try {
            return ensureAlone(spec);
        } finally {
            lock.unlock();
        }
    }

    private NetworkInfo ensureAlone(NetworkSpec spec) {
        Optional<NetworkInfo> existing = inspect(spec.name());
        if (existing.isPresent()) {
            return sameBlock(existing.get(), spec);
        }
        try {
            // Without the duplicate check the engine makes a second network of the same name.
            client.createNetworkCmd()
                    .withName(spec.name())
                    .withDriver("bridge")
                    .withCheckDuplicate(true)
                    .withLabels(spec.labels())
                    .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config()
                            .withSubnet(spec.subnet())
                            .withGateway(spec.gateway())))
                    .exec();
            log.info("created network {} ({})", spec.name(), spec.subnet());
        } catch (RuntimeException e) {
            ContainerRuntimeException translated = DockerErrors.translate(e, Kind.CREATE_FAILED);
            if (translated.kind() == Kind.ENGINE_UNAVAILABLE) {
                throw translated;
            }
            // Another process may have created it between the inspection and the create.
            Optional<NetworkInfo> winner = inspect(spec.name());
            if (winner.isEmpty()) {
                throw new ContainerRuntimeException(Kind.CREATE_FAILED, translated.getMessage(), e);
            }
            return sameBlock(winner.get(), spec);
        }
        return sameBlock(inspect(spec.name()).orElseThrow(() -> new ContainerRuntimeException(Kind.CREATE_FAILED,
                "network " + spec.name() + " was created but is not there")), spec);
    }

    private static NetworkInfo sameBlock(NetworkInfo found, NetworkSpec spec) {
        if (!found.subnets().contains(spec.subnet())) {
            throw new ContainerRuntimeException(Kind.CONFLICT, "network " + spec.name() + " exists with address block(s) "
                    + found.subnets() + ", not " + spec.subnet());
        }
        return found;
    }

    Optional<NetworkInfo> inspect(String name) {
        try {
            Network n = client.inspectNetworkCmd().withNetworkId(name).exec();
            List<String> subnets = n.getIpam() == null || n.getIpam().getConfig() == null ? List.of()
                    : n.getIpam().getConfig().stream().map(Network.Ipam.Config::getSubnet).filter(Objects::nonNull).toList();
            return Optional.of(new NetworkInfo(orEmpty(n.getId()), orEmpty(n.getName()), orEmpty(n.getDriver()), subnets,
                    n.getLabels() == null ? Map.of() : n.getLabels()));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw DockerErrors.translate(e, Kind.ENGINE_ERROR);
        }
    }

    void remove(String name) {
        try {
            client.removeNetworkCmd(name).exec();
        } catch (NotFoundException alreadyGone) {
            // Removal is idempotent.
        } catch (RuntimeException e) {
            ContainerRuntimeException translated = DockerErrors.translate(e, Kind.REMOVE_FAILED);
            // The engine answers 403 while endpoints remain.
            throw translated.getMessage().contains("active endpoints")
                    ? new ContainerRuntimeException(Kind.CONFLICT, translated.getMessage(), e) : translated;
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
