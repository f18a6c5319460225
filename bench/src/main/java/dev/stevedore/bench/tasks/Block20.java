package dev.stevedore.bench.tasks;

import java.util.List;
import java.util.Optional;

/**
 * A /20 address block {@code <prefix><base>.0/20} (prefix: the first two octets and a dot; base: a
 * multiple of 16) for a benchmark's own bridge network. Docker 20.10 now and then keeps a network's
 * endpoint count after its last container went, and such a network cannot be removed until the
 * engine restarts; so a run takes the first /20 of its blocks that no network on the engine holds.
 */
record Block20(String prefix, int base) {

    String cidr() {
        return prefix + base + ".0/20";
    }

    /** The block's {@code i}-th address (from 0), for i below 4096. */
    String address(int i) {
        return prefix + (base + (i >> 8)) + "." + (i & 0xff);
    }

    /** The first /20 of the /16s named by {@code prefixes} that overlaps none of {@code inUse} (CIDR blocks). */
    static Optional<Block20> firstFree(List<String> prefixes, List<String> inUse) {
        for (String prefix : prefixes) {
            for (int base = 0; base < 256; base += 16) {
                Block20 candidate = new Block20(prefix, base);
                if (inUse.stream().noneMatch(b -> overlap(candidate.cidr(), b))) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether two IPv4 CIDR blocks share an address; anything else (IPv6) shares none. */
    static boolean overlap(String a, String b) {
        long[] x = range(a);
        long[] y = range(b);
        return x.length == 2 && y.length == 2 && x[0] <= y[1] && y[0] <= x[1];
    }

    /** First and last address of an IPv4 block, or nothing when it is not one. */
    private static long[] range(String cidr) {
        String[] parts = cidr.split("/");
        String[] octets = parts[0].split("\\.");
        if (parts.length != 2 || octets.length != 4) {
            return new long[0];
        }
        long address = 0;
        for (String o : octets) {
            address = (address << 8) | Long.parseLong(o);
        }
        int prefix = Integer.parseInt(parts[1]);
        long size = 1L << (32 - prefix);
        long first = address & ~(size - 1) & 0xFFFFFFFFL;
        return new long[] {first, first + size - 1};
    }
}
