package dev.stevedore.store.etcd;

import java.time.Duration;
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
 * @param historyCompaction how often the store's writer compacts etcd's own history (to the etcd
 *                  revision it saw one period earlier); zero: never, etcd's operator does
 *                  ({@code --auto-compaction-retention})
 */
public record EtcdLocation(List<String> endpoints, String prefix, int maxTxnOps, Duration historyCompaction) {

    /** The namespace when the address names none. */
    public static final String DEFAULT_PREFIX = "/stevedore";
    /** etcd's default {@code --max-txn-ops}. */
    public static final int DEFAULT_MAX_TXN_OPS = 128;
    /** As often as Kubernetes' API server compacts its etcd. */
    public static final Duration DEFAULT_HISTORY_COMPACTION = Duration.ofMinutes(5);
    private static final String MAX_TXN_OPS_PARAMETER = "max-txn-ops=";
    private static final String HISTORY_COMPACTION_PARAMETER = "history-compaction-seconds=";
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
        if (historyCompaction.isNegative()) {
            throw new IllegalArgumentException("the history compaction period cannot be negative: " + historyCompaction);
        }
    }

    /** Compacting etcd's history every {@link #DEFAULT_HISTORY_COMPACTION}. */
    public EtcdLocation(List<String> endpoints, String prefix, int maxTxnOps) {
        this(endpoints, prefix, maxTxnOps, DEFAULT_HISTORY_COMPACTION);
    }

    /** With etcd's default limit on a transaction's operations. */
    public EtcdLocation(List<String> endpoints, String prefix) {
        this(endpoints, prefix, DEFAULT_MAX_TXN_OPS);
    }

    /** This location, its writer compacting etcd's history every {@code period} (zero: never). */
    public EtcdLocation withHistoryCompaction(Duration period) {
        return new EtcdLocation(endpoints, prefix, maxTxnOps, period);
    }

    /** Whether {@code address} is meant for etcd (rather than, say, a file). */
    public static boolean isEtcdAddress(String address) {
        return address.startsWith(SCHEME);
    }

    /**
     * Reads {@code etcd://host:port[,host:port...][/prefix][?max-txn-ops=N][&history-compaction-seconds=S]};
     * without a prefix the store lives under {@value #DEFAULT_PREFIX}; {@code max-txn-ops} is etcd's
     * {@code --max-txn-ops} when the cluster runs with more than the default {@value #DEFAULT_MAX_TXN_OPS};
     * {@code history-compaction-seconds} how often the writer compacts etcd's history (0: never).
     *
     * @throws IllegalArgumentException naming what is wrong with the address
     */
    public static EtcdLocation parse(String address) {
        if (!isEtcdAddress(address)) {
            throw new IllegalArgumentException("an etcd address starts with " + SCHEME + ": " + address);
        }
        String rest = address.substring(SCHEME.length());
        int maxTxnOps = DEFAULT_MAX_TXN_OPS;
        Duration historyCompaction = DEFAULT_HISTORY_COMPACTION;
        int question = rest.indexOf('?');
        if (question >= 0) {
            for (String parameter : rest.substring(question + 1).split("&", -1)) {
                if (parameter.startsWith(HISTORY_COMPACTION_PARAMETER)) {
                    historyCompaction = Duration.ofSeconds(parseNumber(parameter, HISTORY_COMPACTION_PARAMETER, 0, address));
                } else {
                    maxTxnOps = (int) parseNumber(parameter, MAX_TXN_OPS_PARAMETER, 3, address);
                }
            }
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
        return new EtcdLocation(endpoints, prefix.isEmpty() ? DEFAULT_PREFIX : prefix, maxTxnOps, historyCompaction);
    }

    private static long parseNumber(String parameter, String name, int least, String address) {
        if (parameter.startsWith(name)) {
            try {
                int value = Integer.parseInt(parameter.substring(name.length()));
                if (value >= least) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
        }
        throw new IllegalArgumentException("the parameters of an etcd address are max-txn-ops=N (N at least 3, "
                + "etcd's --max-txn-ops) and history-compaction-seconds=S (0: etcd's operator compacts), not '"
                + parameter + "' in " + address);
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
        List<String> parameters = new ArrayList<>();
        if (maxTxnOps != DEFAULT_MAX_TXN_OPS) {
            parameters.add(MAX_TXN_OPS_PARAMETER + maxTxnOps);
        }
        if (!historyCompaction.equals(DEFAULT_HISTORY_COMPACTION)) {
            parameters.add(HISTORY_COMPACTION_PARAMETER + historyCompaction.toSeconds());
        }
        return SCHEME + String.join(",", endpoints.stream().map(e -> e.substring("http://".length())).toList()) + prefix
                + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters));
    }
}
