package dev.stevedore.server.registry;

/**
 * Whether this server runs the image registry (ECR's data plane), and on which loopback port.
 *
 * @param port 0 picks a free port
 */
public record RegistrySettings(boolean enabled, int port) {
    /** The port {@code up} serves the registry on unless told otherwise. */
    public static final int DEFAULT_PORT = 9401;
    /** No registry: the ECR API is served, image writes are refused. */
    public static final RegistrySettings OFF = new RegistrySettings(false, 0);

    public RegistrySettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the registry port must be 0..65535, got " + port);
        }
    }

    public static RegistrySettings onPort(int port) {
        return new RegistrySettings(true, port);
    }
}
