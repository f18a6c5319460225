package dev.stevedore.control.ecs.feed;

import dev.stevedore.control.ecs.EcsScope;

import java.util.Optional;

/**
 * A store key of the ECS key space taken apart: {@code /ecs/{account}/{region}/{kind}/{cluster}/{id}}
 * for the records that belong to a cluster. Keys of other shapes (task definitions, tags, account
 * settings) are not cluster records and do not parse.
 *
 * @param kind  what the record is
 * @param id    the record's name within the cluster: a task or instance id, a service name; for
 *              {@link Kind#CLUSTER} the cluster name again
 */
public record EcsKey(EcsScope scope, Kind kind, String cluster, String id) {

    /** The kinds of cluster record the feed follows, by the key segment that names them. */
    public enum Kind {
        CLUSTER("clusters"),
        INSTANCE("container-instances"),
        TASK("tasks"),
        SERVICE("services"),
        TASK_PROTECTION("task-protection"),
        /** A traffic-shifting service's traffic record: a pause hook answered there moves the shift on. */
        SERVICE_TRAFFIC("service-traffic");

        private final String segment;

        Kind(String segment) {
            this.segment = segment;
        }

        /** The key segment after {@code /ecs/{account}/{region}/}. */
        public String segment() {
            return segment;
        }

        static Optional<Kind> ofSegment(String segment) {
            for (Kind k : values()) {
                if (k.segment.equals(segment)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    /** The parts of {@code key}, if it is a cluster record of a kind the feed follows. */
    public static Optional<EcsKey> parse(String key) {
        if (!key.startsWith("/ecs/")) {
            return Optional.empty();
        }
        String[] parts = key.split("/", -1);
        // "", "ecs", account, region, kind, cluster[, id]
        if (parts.length == 6 && "clusters".equals(parts[4]) && !parts[5].isEmpty()) {
            return Optional.of(new EcsKey(new EcsScope(parts[2], parts[3]), Kind.CLUSTER, parts[5], parts[5]));
        }
        if (parts.length != 7 || parts[5].isEmpty() || parts[6].isEmpty()) {
            return Optional.empty();
        }
        return Kind.ofSegment(parts[4])
                .filter(k -> k != Kind.CLUSTER)
                .map(k -> new EcsKey(new EcsScope(parts[2], parts[3]), k, parts[5], parts[6]));
    }

    /** The cluster this record belongs to. */
    public ClusterRef clusterRef() {
        return new ClusterRef(scope, cluster);
    }
}
