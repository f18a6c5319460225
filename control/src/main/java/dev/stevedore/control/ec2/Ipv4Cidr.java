package dev.stevedore.control.ec2;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * An IPv4 CIDR block: a network address (host bits zero) and a prefix length. Addresses are
 * unsigned 32-bit values held in a {@code long}.
 *
 * <p>In a VPC subnet AWS reserves the first four addresses (network, router, DNS, future use) and
 * the last (broadcast), so a task's address is taken between {@link #firstUsable()} and
 * {@link #lastUsable()}.
 *
 * @param network      the first address of the block
 * @param prefixLength 0 to 32
 */
public record Ipv4Cidr(long network, int prefixLength) {
    /** Addresses of every subnet AWS keeps for itself: the first four and the last. */
    public static final int RESERVED_PER_SUBNET = 5;

    public Ipv4Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength);
        }
        if (network < 0 || network > 0xFFFF_FFFFL || (network & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException("not a network address: " + formatAddress(network) + "/" + prefixLength);
        }
    }

    /**
     * Parses {@code a.b.c.d/n} as EC2 accepts it: four decimal octets of 0–255 without leading
     * zeros, a prefix of 0–32, and no host bits set.
     */
    public static Optional<Ipv4Cidr> parse(String text) {
        return parse(text, false);
    }

    /**
     * Parses as {@link #parse} does but clears host bits rather than refusing them: EC2 makes a VPC
     * or subnet asked for {@code 100.68.0.18/18} as {@code 100.68.0.0/18} (its API reference of
     * CreateVpc and CreateSubnet says so).
     */
    public static Optional<Ipv4Cidr> parseCanonical(String text) {
        return parse(text, true);
    }

    private static Optional<Ipv4Cidr> parse(String text, boolean clearHostBits) {
        if (text == null) {
            return Optional.empty();
        }
        int slash = text.indexOf('/');
        if (slash < 0 || !isDecimal(text.substring(slash + 1), 2)) {
            return Optional.empty();
        }
        int prefix = Integer.parseInt(text.substring(slash + 1));
        OptionalLong address = parseAddress(text.substring(0, slash));
        if (prefix > 32 || address.isEmpty()) {
            return Optional.empty();
        }
        long network = address.getAsLong() & mask(prefix);
        if (network != address.getAsLong() && !clearHostBits) {
            return Optional.empty();
        }
        return Optional.of(new Ipv4Cidr(network, prefix));
    }

    /** Parses a dotted-quad address into its unsigned value. */
    public static OptionalLong parseAddress(String text) {
        if (text == null) {
            return OptionalLong.empty();
        }
        String[] octets = text.split("\\.", -1);
        if (octets.length != 4) {
            return OptionalLong.empty();
        }
        long value = 0;
        for (String octet : octets) {
            if (!isDecimal(octet, 3) || (octet.length() > 1 && octet.charAt(0) == '0')) {
                return OptionalLong.empty();
            }
            int n = Integer.parseInt(octet);
            if (n > 255) {
                return OptionalLong.empty();
            }
            value = (value << 8) | n;
        }
        return OptionalLong.of(value);
    }

    public static String formatAddress(long address) {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }

    /** How many addresses the block holds. */
    public long size() {
        return 1L << (32 - prefixLength);
    }

    public long broadcast() {
        return network + size() - 1;
    }

    /** The {@code n}th address of the block, counting the network address as 0. */
    public long address(long n) {
        if (n < 0 || n >= size()) {
            throw new IndexOutOfBoundsException(n + " is outside " + this);
        }
        return network + n;
    }

    /** The first address AWS hands out in a subnet: the network address plus four. */
    public long firstUsable() {
        return network + 4;
    }

    /** The last address AWS hands out in a subnet: the one before the broadcast address. */
    public long lastUsable() {
        return broadcast() - 1;
    }

    /** Addresses a subnet of this block offers once AWS's reserved ones are taken away. */
    public long usableCount() {
        return Math.max(0, size() - RESERVED_PER_SUBNET);
    }

    public boolean contains(long address) {
        return address >= network && address <= broadcast();
    }

    public boolean contains(Ipv4Cidr other) {
        return other.network >= network && other.broadcast() <= broadcast();
    }

    public boolean overlaps(Ipv4Cidr other) {
        return network <= other.broadcast() && other.network <= broadcast();
    }

    @Override
    public String toString() {
        return formatAddress(network) + "/" + prefixLength;
    }

    private static long mask(int prefixLength) {
        return prefixLength == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefixLength)) & 0xFFFF_FFFFL;
    }

    private static boolean isDecimal(String s, int maxDigits) {
        if (s.isEmpty() || s.length() > maxDigits) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
