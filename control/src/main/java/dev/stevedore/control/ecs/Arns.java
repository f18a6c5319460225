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
}
