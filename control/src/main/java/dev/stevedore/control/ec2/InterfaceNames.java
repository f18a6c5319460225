package dev.stevedore.control.ec2;

import dev.stevedore.model.ec2.GroupIdentifier;
import dev.stevedore.model.ec2.NetworkInterface;
import dev.stevedore.model.ec2.NetworkInterfacePrivateIpAddress;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * The names a network interface is given when someone other than the EC2 API makes one (a task's
 * interface, an EFS mount target's): its id, MAC address and private DNS name, in EC2's formats; and
 * the interface record such a requester-managed interface has.
 */
public final class InterfaceNames {
    private static final SecureRandom RANDOM = new SecureRandom();

    private InterfaceNames() {
    }

    /** {@code eni-} and 17 hex digits. */
    public static String newInterfaceId() {
        return "eni-" + hex(9).substring(0, 17);
    }

    /** A locally administered unicast address, as EC2's start with {@code 0a:}. */
    public static String newMacAddress() {
        return "0a:" + String.join(":", hex(5).split("(?<=\\G..)"));
    }

    /** EC2's private DNS name of an address: {@code ip-10-0-0-5.ec2.internal} in us-east-1. */
    public static String privateDnsName(String region, String address) {
        String host = "ip-" + address.replace('.', '-');
        return "us-east-1".equals(region) ? host + ".ec2.internal" : host + "." + region + ".compute.internal";
    }

    /** {@code bytes} random bytes as hex digits. */
    public static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * A requester-managed interface in use, with one primary address: what the Fargate path and EFS
     * mount targets record (the caller adds an attachment where there is one).
     */
    public static NetworkInterface.Builder requesterManaged(String eniId, String subnetId, String vpcId, String zone,
                                                            String ownerId, String region, String address,
                                                            List<GroupIdentifier> groups, String requesterId) {
        String dnsName = privateDnsName(region, address);
        return NetworkInterface.builder()
                .networkInterfaceId(eniId)
                .subnetId(subnetId)
                .vpcId(vpcId)
                .availabilityZone(zone)
                .interfaceType("interface")
                .macAddress(newMacAddress())
                .ownerId(ownerId)
                .privateIpAddress(address)
                .privateDnsName(dnsName)
                .privateIpAddresses(List.of(NetworkInterfacePrivateIpAddress.builder()
                        .primary(true).privateIpAddress(address).privateDnsName(dnsName).build()))
                .groups(groups)
                .requesterId(requesterId)
                .requesterManaged(true)
                .sourceDestCheck(true)
                .status("in-use")
                .ipv6Addresses(List.of())
                .tagSet(List.of());
    }
}
