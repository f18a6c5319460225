package dev.stevedore.lb.config;

/**
 * A registered target. A draining one (deregistered, within its deregistration delay) gets no new requests;
 * the ones it is serving finish.
 */
public record Target(String host, int port, boolean draining) {

    public Target {
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad target " + host + ":" + port);
        }
    }

    public static Target at(String host, int port) {
        return new Target(host, port, false);
    }

    public Target drained() {
        return new Target(host, port, true);
    }
}
