package dev.stevedore.control.ecs;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Fresh resource ids in the long ARN format: 32 lower-case hex digits.
 *
 * <p>The first 12 digits are the creation time in milliseconds and the other 20 are random (80
 * bits), so ids made later sort later. Records are stored under their ids; ids in creation order
 * put a burst of new tasks next to each other in the store's key index instead of on hundreds of
 * random pages, which is most of what a durable commit of many new tasks writes.
 */
public final class Ids {
    /**
     * A few generators, picked by thread: the default SecureRandom reads /dev/urandom under one
     * lock, which placing thousands of tasks a second (an id per task and per container) queued on.
     * Not one per thread: requests run on short-lived virtual threads, and seeding is not free.
     */
    private static final SecureRandom[] RANDOM = new SecureRandom[16];

    static {
        for (int i = 0; i < RANDOM.length; i++) {
            try {
                RANDOM[i] = SecureRandom.getInstance("DRBG");
            } catch (java.security.NoSuchAlgorithmException e) {
                RANDOM[i] = new SecureRandom();
            }
        }
    }
    private static final HexFormat HEX = HexFormat.of();

    private Ids() {
    }

    public static String newId() {
        byte[] random = new byte[10];
        RANDOM[(int) (Thread.currentThread().threadId() & (RANDOM.length - 1))].nextBytes(random);
        // 16 hex digits of the time; the first four stay zero until the year 10889.
        return HEX.toHexDigits(System.currentTimeMillis()).substring(4) + HEX.formatHex(random);
    }
}
