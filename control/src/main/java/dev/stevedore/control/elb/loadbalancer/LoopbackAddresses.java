package dev.stevedore.control.elb.loadbalancer;

import dev.stevedore.control.ec2.Ipv4Cidr;
import dev.stevedore.control.elb.ElbErrors;
import dev.stevedore.control.elb.ElbKeys;
import dev.stevedore.control.state.StoreTx;

import java.util.HashSet;
import java.util.Set;

/**
 * The pool of loopback addresses the data plane serves load balancers on, one address each, so two load
 * balancers can both listen on port 80 of the same machine. The lowest free address is taken (never the
 * block's network or broadcast address); a claim is a key under {@link ElbKeys#ADDRESSES}, shared by every
 * account and Region, created on the condition that it is absent.
 */
public final class LoopbackAddresses {
    /** The default pool: 127.100.0.1 to 127.100.255.254. */
    public static final Ipv4Cidr DEFAULT_POOL = Ipv4Cidr.parse("127.100.0.0/16").orElseThrow();

    /** Who holds an address. */
    public record AddressClaim(String address, String loadBalancerArn) {
    }

    private final Ipv4Cidr pool;

    public LoopbackAddresses(Ipv4Cidr pool) {
        this.pool = pool;
    }

    /** Claims the lowest free address for the load balancer within the transaction. */
    public String claim(StoreTx tx, String loadBalancerArn) {
        Set<String> taken = new HashSet<>();
        tx.scan(ElbKeys.ADDRESSES, AddressClaim.class).forEach(c -> taken.add(c.address()));
        for (long a = pool.network() + 1; a < pool.broadcast(); a++) {
            String address = Ipv4Cidr.formatAddress(a);
            if (taken.contains(address)) {
                continue;
            }
            // The read makes the commit conditional on the address still being free.
            if (tx.read(ElbKeys.address(address), AddressClaim.class).isEmpty()) {
                tx.put(ElbKeys.address(address), new AddressClaim(address, loadBalancerArn));
                return address;
            }
        }
        throw ElbErrors.of("TooManyLoadBalancers", "The loopback address pool " + pool + " has no address left");
    }

    public static void release(StoreTx tx, String address) {
        tx.delete(ElbKeys.address(address));
    }
}
