package dev.stevedore.control.ecs;

import java.util.UUID;

/**
 * Fresh resource ids in the long ARN format: 32 lower-case hex digits.
 */
public final class Ids {
    private Ids() {
    }

    public static String newId() {
        UUID u = UUID.randomUUID();
        return String.format("%016x%016x", u.getMostSignificantBits(), u.getLeastSignificantBits());
    }
}
