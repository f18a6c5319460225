package dev.stevedore.control.ecs.service;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Collection;

/**
 * Identifiers of deployments, task sets and service revisions.
 *
 * <p>A deployment (or task set) id is {@code ecs-svc/} and 19 digits. The digits ECS gives are the
 * largest long minus the creation time in milliseconds, so later deployments have smaller numbers;
 * Stevedore makes them the same way and steps down past any number the service already uses.
 */
public final class DeploymentIds {
    public static final String PREFIX = "ecs-svc/";
    private static final SecureRandom RANDOM = new SecureRandom();

    private DeploymentIds() {
    }

    /** A deployment id not among {@code taken} (ids of the same service). */
    public static String next(Instant now, Collection<String> taken) {
        long n = Long.MAX_VALUE - now.toEpochMilli();
        while (taken.contains(PREFIX + n)) {
            n--;
        }
        return PREFIX + n;
    }

    /** The number of a deployment id, used as the id of its service-deployment ARN and keys. */
    public static String number(String deploymentId) {
        return deploymentId.startsWith(PREFIX) ? deploymentId.substring(PREFIX.length()) : deploymentId;
    }

    /** A service revision id: 19 random digits. */
    public static String revisionId() {
        return Long.toString(1_000_000_000_000_000_000L + (RANDOM.nextLong() & Long.MAX_VALUE) % 8_000_000_000_000_000_000L);
    }
}
