package dev.stevedore.agent.runtime;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A fixed address for a container on a user-defined network: the IPv4 address the engine gives it
 * there, and the MAC address of its interface.
 */
public record NetworkAddress(String ipv4Address, String macAddress) {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");

    public NetworkAddress {
        Objects.requireNonNull(ipv4Address, "ipv4Address");
        Objects.requireNonNull(macAddress, "macAddress");
        if (!IPV4.matcher(ipv4Address).matches()) {
            throw new IllegalArgumentException("not an IPv4 address: " + ipv4Address);
        }
        if (!MAC.matcher(macAddress).matches()) {
            throw new IllegalArgumentException("not a MAC address: " + macAddress);
        }
    }
}
