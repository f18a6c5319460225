package dev.stevedore.agent.engine;

import dev.stevedore.agent.runtime.NetworkInfo;
import dev.stevedore.agent.runtime.NetworkSpec;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an {@code awsvpc} subnet becomes a Docker bridge network on this host (pure): one network per
 * subnet, named after it, whose address block is the subnet's and whose gateway, the bridge's own
 * address on the host, is the block's base address plus one, where AWS puts the VPC router.
 */
final class SubnetNetworks {

    /** Marks the networks Stevedore made, so that they can be told from anyone else's. */
    static final String LABEL = "dev.stevedore.subnet-id";
    private static final String PREFIX = "stevedore-";
    private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
    /** AWS subnets are /16 to /28. */
    private static final int MIN_PREFIX = 16;
    private static final int MAX_PREFIX = 28;

    private SubnetNetworks() {}

    /** {@code stevedore-subnet-0abc…}: unique per subnet, the same for every task and every agent run. */
    static String networkName(String subnetId) {
        return PREFIX + subnetId.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /** The host interface of a bridge network Docker made: {@code br-} and the first 12 digits of its id. */
    static String bridgeInterface(NetworkInfo network) {
        return "br-" + network.id().substring(0, Math.min(12, network.id().length()));
    }

    static NetworkSpec spec(String subnetId, String cidrBlock) {
        return new NetworkSpec(networkName(subnetId), cidrBlock, gateway(cidrBlock), Map.of(LABEL, subnetId));
    }

    /**
     * The block's base address plus one.
     *
     * @throws IllegalArgumentException when {@code cidrBlock} is not an IPv4 block of an AWS
     *                                  subnet's size, or is not its own base address
     */
    static String gateway(String cidrBlock) {
        long base = base(cidrBlock);
        return dotted(base + 1);
    }

    /** Whether {@code address} lies in the block and is not one of the five addresses AWS reserves. */
    static boolean usable(String cidrBlock, String address) {
        long base = base(cidrBlock);
        int prefix = Integer.parseInt(cidrBlock.substring(cidrBlock.indexOf('/') + 1));
        long size = 1L << (32 - prefix);
        long a;
        try {
            a = parse(address);
        } catch (IllegalArgumentException e) {
            return false;
        }
        // The base, the router (+1), DNS (+2), reserved (+3) and the broadcast address.
        return a >= base + 4 && a < base + size - 1;
    }

    private static long base(String cidrBlock) {
        Matcher m = CIDR.matcher(cidrBlock);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an IPv4 CIDR block: " + cidrBlock);
        }
        int prefix = Integer.parseInt(m.group(5));
        if (prefix < MIN_PREFIX || prefix > MAX_PREFIX) {
            throw new IllegalArgumentException("a subnet's block is /" + MIN_PREFIX + " to /" + MAX_PREFIX + ": " + cidrBlock);
        }
        long address = parse(cidrBlock.substring(0, cidrBlock.indexOf('/')));
        long mask = (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        if ((address & mask) != address) {
            throw new IllegalArgumentException("not the base address of its block: " + cidrBlock);
        }
        return address;
    }

    private static long parse(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        long value = 0;
        for (String p : parts) {
            int octet;
            try {
                octet = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            if (octet < 0 || octet > 255 || p.length() > 3) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    private static String dotted(long value) {
        return ((value >> 24) & 0xff) + "." + ((value >> 16) & 0xff) + "." + ((value >> 8) & 0xff) + "." + (value & 0xff);
    }
}
