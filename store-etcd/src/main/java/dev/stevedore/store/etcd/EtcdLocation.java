package dev.stevedore.store.etcd;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a store lives in etcd: the cluster's client endpoints and the key prefix that is this
 * store's namespace, so that several Stevedore installations (or tests) can share one etcd.
 *
 * @param endpoints client URLs ({@code http://host:port}), at least one
 * @param prefix    the namespace, starting with "/" and not ending with one
 * @param maxTxnOps the most operations etcd takes in one transaction (its {@code --max-txn-ops}):
 *                  a batch of commits is written in transactions of at most this many
 */
public record EtcdLocation(List<String> endpoints, String prefix, int maxTxnOps) {

    /** The namespace when the address names none. */
    public static final String DEFAULT_PREFIX = "/stevedore";
    /** etcd's default {@code --max-txn-ops}. */
    public static final int DEFAULT_MAX_TXN_OPS = 128;
    private static final String MAX_TXN_OPS_PARAMETER = "max-txn-ops=";
    private static final String SCHEME = "etcd://";

    public EtcdLocation {
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(prefix, "prefix");
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("an etcd location needs at least one endpoint");
        }
        if (!prefix.startsWith("/") || prefix.endsWith("/")) {
            throw new IllegalArgumentException("an etcd prefix starts with / and does not end with one: " + prefix);
        }
        if (maxTxnOps < 3) {
            // A log entry, a key and the head: the least one revision needs.
            throw new IllegalArgumentException("max-txn-ops must be at least 3: " + maxTxnOps);
        }
    }

    /** With etcd's default limit on a transaction's operations. */
    public EtcdLocation(List<String> endpoints, String prefix) {
        this(endpoints, prefix, DEFAULT_MAX_TXN_OPS);
    }

    /** Whether {@code address} is meant for etcd (rather than, say, a file). */
    public static boolean isEtcdAddress(String address) {
        return address.startsWith(SCHEME);
    }

    /**
     * Reads {@code etcd://host:port[,host:port...][/prefix][?max-txn-ops=N]}; without a prefix the
     * store lives under {@value #DEFAULT_PREFIX}; {@code max-txn-ops} is etcd's {@code --max-txn-ops}
     * when the cluster runs with more than the default {@value #DEFAULT_MAX_TXN_OPS}.
     *
     * @throws IllegalArgumentException naming what is wrong with the address
     */
    public static EtcdLocation parse(String address) {
        if (!isEtcdAddress(address)) {
            throw new IllegalArgumentException("an etcd address starts with " + SCHEME + ": " + address);
        }
        String rest = address.substring(SCHEME.length());
        int maxTxnOps = DEFAULT_MAX_TXN_OPS;
        int question = rest.indexOf('?');
        if (question >= 0) {
            maxTxnOps = parseMaxTxnOps(rest.substring(question + 1), address);
            rest = rest.substring(0, question);
        }
        int slash = rest.indexOf('/');
        String hosts = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        List<String> endpoints = new ArrayList<>();
        for (String hostPort : hosts.split(",", -1)) {
            endpoints.add("http://" + checkHostPort(hostPort, address));
        }
        String prefix = path.replaceAll("/+$", "");
        return new EtcdLocation(endpoints, prefix.isEmpty() ? DEFAULT_PREFIX : prefix, maxTxnOps);
    }

    private static int parseMaxTxnOps(String query, String address) {
        if (query.startsWith(MAX_TXN_OPS_PARAMETER)) {
            try {
                int value = Integer.parseInt(query.substring(MAX_TXN_OPS_PARAMETER.length()));
                if (value >= 3) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
        }
        throw new IllegalArgumentException("the only parameter of an etcd address is max-txn-ops=N (N at least 3, "
                + "etcd's --max-txn-ops), not '" + query + "' in " + address);
    }

    private static String checkHostPort(String hostPort, String address) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? "" : hostPort.substring(0, colon);
        if (host.isEmpty() || host.contains("@") || host.contains("?") || host.contains("#")) {
            throw new IllegalArgumentException("each etcd endpoint is host:port, not '" + hostPort + "' in " + address);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("the port of etcd endpoint '" + hostPort + "' in " + address
                    + " is not a number from 1 to 65535");
        }
        return hostPort;
    }

    /** The address this location was read from, in {@link #parse}'s syntax. */
    @Override
    public String toString() {
        return SCHEME + String.join(",", endpoints.stream().map(e -> e.substring("http://".length())).toList()) + prefix
                + (maxTxnOps == DEFAULT_MAX_TXN_OPS ? "" : "?" + MAX_TXN_OPS_PARAMETER + maxTxnOps);
    }
}
