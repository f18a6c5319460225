package dev.stevedore.control.ecs.placement;

import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ec2.Ipv4Cidr;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;

import java.util.BitSet;
import java.util.Optional;

/**
 * The plan applier's view of one subnet's private addresses: which are claimed. The applier is the
 * one writer of claims (it creates each on the condition that its key is absent, and deletes it
 * once the task holding it has stopped), so after loading the claims this view is the truth plus
 * the applier's own writes in flight. An address given back becomes free only once the batch that
 * deletes its claim has landed, so no batch both deletes and re-creates one key.
 *
 * <p>AWS reserves five addresses of every subnet: the network address, the VPC router (+1), the DNS
 * server (+2), one for future use (+3) and the broadcast address (the last); tasks get the others,
 * lowest first. (Subnets are /16 to /28, so offsets fit an int.)
 */
final class SubnetAddresses {
    static final int RESERVED_AT_START = 4;
    static final int RESERVED_AT_END = 1;

    private final long base;
    private final int size;
    /** Offsets from {@link #base} that are claimed or on their way back. */
    private final BitSet taken = new BitSet();

    private SubnetAddresses(long base, int size) {
        this.base = base;
        this.size = size;
    }

    /** Reads the subnet's claims from the store. */
    static SubnetAddresses load(StateStore store, EcsScope scope, String subnetId, String cidrBlock) {
        SubnetAddresses view = empty(cidrBlock);
        for (KeyValue kv : store.range(Ec2Keys.subnetAddresses(scope, subnetId))) {
            String address = kv.key().substring(kv.key().lastIndexOf('/') + 1);
            view.mark(address);
        }
        return view;
    }

    static SubnetAddresses empty(String cidrBlock) {
        Ipv4Cidr cidr = Ipv4Cidr.parse(cidrBlock)
                .orElseThrow(() -> new IllegalArgumentException("not a subnet block: " + cidrBlock));
        return new SubnetAddresses(cidr.network(), (int) cidr.size());
    }

    /** How many addresses tasks can still take. */
    int free() {
        int usable = size - RESERVED_AT_START - RESERVED_AT_END;
        return Math.max(0, usable - taken.get(RESERVED_AT_START, size - RESERVED_AT_END).cardinality());
    }

    /** Takes the lowest free address, if any. */
    Optional<String> take() {
        int offset = taken.nextClearBit(RESERVED_AT_START);
        if (offset >= size - RESERVED_AT_END) {
            return Optional.empty();
        }
        taken.set(offset);
        return Optional.of(toText(base + offset));
    }

    /** The address is claimed (seen in the store) or on its way back (its claim's delete not yet landed). */
    void mark(String address) {
        long a = toLong(address);
        if (a >= base && a < base + size) {
            taken.set((int) (a - base));
        }
    }

    /** The claim's delete has landed: the address can be given again. */
    void release(String address) {
        long a = toLong(address);
        if (a >= base && a < base + size) {
            taken.clear((int) (a - base));
        }
    }

    private static long toLong(String dotted) {
        return Ipv4Cidr.parseAddress(dotted).orElseThrow(() -> new IllegalArgumentException("not an IPv4 address: "
                + dotted));
    }

    private static String toText(long value) {
        return Ipv4Cidr.formatAddress(value);
    }
}
