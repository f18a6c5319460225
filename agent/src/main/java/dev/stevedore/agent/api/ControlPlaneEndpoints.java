package dev.stevedore.agent.api;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The control plane's endpoints an agent knows (its replicas), and the one it talks to now. Every
 * replica answers the agent's calls (a follower relays writes to the leader), so the agent stays on
 * one until it stops answering, then moves to the next, round the list.
 */
public final class ControlPlaneEndpoints {

    private final List<URI> endpoints;
    private final AtomicInteger current = new AtomicInteger();

    private ControlPlaneEndpoints(List<URI> endpoints) {
        this.endpoints = endpoints;
    }

    /**
     * @throws IllegalArgumentException if there are none, or one is not an http(s) URL
     */
    public static ControlPlaneEndpoints of(List<URI> endpoints) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("the agent needs at least one control plane endpoint");
        }
        endpoints.forEach(e -> AgentHttp.requireHttp(e, "ECS endpoint"));
        return new ControlPlaneEndpoints(List.copyOf(endpoints));
    }

    public static ControlPlaneEndpoints of(URI endpoint) {
        return of(List.of(endpoint));
    }

    /** The endpoint calls go to now. */
    public URI current() {
        return endpoints.get(Math.floorMod(current.get(), endpoints.size()));
    }

    /** How many endpoints there are: how many a call may try before it gives up. */
    public int size() {
        return endpoints.size();
    }

    public List<URI> all() {
        return endpoints;
    }

    /**
     * {@code failed} stopped answering: the next endpoint becomes current, unless another caller
     * has already moved on from it (then its choice stands).
     */
    public void movePast(URI failed) {
        int seen = current.get();
        if (endpoints.get(Math.floorMod(seen, endpoints.size())).equals(failed)) {
            current.compareAndSet(seen, seen + 1);
        }
    }
}
