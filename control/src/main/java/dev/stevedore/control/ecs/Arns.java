package dev.stevedore.control.ecs;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * ECS ARNs in the long format, and the identifiers that accept either a short name or an ARN.
 */
public final class Arns {
    /** Cluster, family, service and container names: 1–255 letters, digits, hyphens and underscores. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");

    private Arns() {
    }

    /** The parts of an ARN: {@code arn:partition:service:region:account:resource}. */
    public record Arn(String partition, String service, String region, String account, String resource) {

        /** The resource type before the first '/', e.g. {@code cluster} or {@code task-definition}. */
        public String resourceType() {
            int slash = resource.indexOf('/');
            return slash < 0 ? resource : resource.substring(0, slash);
        }

        /** What follows the resource type, e.g. the cluster name or {@code family:revision}. */
        public String resourceId() {
            int slash = resource.indexOf('/');
            return slash < 0 ? "" : resource.substring(slash + 1);
        }

        public boolean isIn(EcsScope scope) {
            return "ecs".equals(service) && scope.region().equals(region) && scope.accountId().equals(account);
        }
    }

    public static Optional<Arn> parse(String text) {
        if (text == null || !text.startsWith("arn:")) {
            return Optional.empty();
        }
        String[] parts = text.split(":", 6);
        if (parts.length < 6 || parts[5].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]));
    }

    public static String cluster(EcsScope scope, String name) {
        return scope.arnPrefix() + "cluster/" + name;
    }

    public static String taskDefinition(EcsScope scope, String family, int revision) {
        return scope.arnPrefix() + "task-definition/" + family + ":" + revision;
    }

    public static String containerInstance(EcsScope scope, String cluster, String id) {
        return scope.arnPrefix() + "container-instance/" + cluster + "/" + id;
    }

    public static String task(EcsScope scope, String cluster, String id) {
        return scope.arnPrefix() + "task/" + cluster + "/" + id;
    }

    /**
     * The id a task or container-instance parameter names within {@code cluster}: the bare id, or an
     * ARN of that resource type in this account, Region and cluster.
     */
    public static Optional<String> idInCluster(EcsScope scope, String resourceType, String cluster, String idOrArn) {
        if (idOrArn == null || idOrArn.isEmpty()) {
            return Optional.empty();
        }
        if (!idOrArn.startsWith("arn:")) {
            return ID.matcher(idOrArn).matches() ? Optional.of(idOrArn) : Optional.empty();
        }
        return parse(idOrArn)
                .filter(arn -> arn.isIn(scope) && arn.resourceType().equals(resourceType))
                .map(Arn::resourceId)
                .filter(rest -> rest.startsWith(cluster + "/"))
                .map(rest -> rest.substring(cluster.length() + 1))
                .filter(id -> ID.matcher(id).matches());
    }

    /** Task and container-instance ids: 32 lower-case hex digits (long format) or a legacy UUID. */
    public static final Pattern ID = Pattern.compile("[0-9a-f]{32}|[0-9a-f-]{36}");

    public static String capacityProvider(EcsScope scope, String name) {
        return scope.arnPrefix() + "capacity-provider/" + name;
    }

    /**
     * The cluster name a {@code cluster} parameter refers to: a name, or an ARN in this account and
     * Region. Absent means {@code default}. Anything else names no cluster.
     */
    public static Optional<String> clusterName(EcsScope scope, String clusterOrArn) {
        if (clusterOrArn == null) {
            return Optional.of("default");
        }
        if (clusterOrArn.startsWith("arn:")) {
            return parse(clusterOrArn)
                    .filter(arn -> arn.isIn(scope) && arn.resourceType().equals("cluster"))
                    .map(Arn::resourceId)
                    .filter(name -> NAME.matcher(name).matches());
        }
        return NAME.matcher(clusterOrArn).matches() ? Optional.of(clusterOrArn) : Optional.empty();
    }

    /** The cluster a task ARN names: {@code arn:aws:ecs:region:account:task/cluster/id}. */
    public static String clusterOfTask(String taskArn) {
        int start = taskArn.indexOf(":task/") + ":task/".length();
        int end = taskArn.indexOf('/', start);
        return end < 0 ? "default" : taskArn.substring(start, end);
    }
}
