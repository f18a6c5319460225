package dev.stevedore.server.efs;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The address this host's bricks are given, and agents mount from: the host's own address, the one on
 * the interface of its default route. Not a loopback address (Gluster refuses them, and the host's
 * name may resolve to 127.0.0.1, as in many containers), and not one of a bridge Docker or a test
 * makes: those come and go with their networks, and a volume whose bricks name a vanished address can
 * no longer be mounted (seen in CI: a test's private engine bridge, 100.127.251.1, sorted first).
 */
final class StorageHostAddress {
    /** Interfaces of networks made on this host (Docker's bridges and veth pairs, libvirt's), not the host's own. */
    private static final Pattern MADE_HERE = Pattern.compile("docker.*|br-.*|veth.*|virbr.*");

    private StorageHostAddress() {
    }

    /** This host's storage address, from {@code /proc/net/route} and its interfaces that are up. */
    static String ofThisHost() {
        String routes;
        try {
            routes = Files.readString(Path.of("/proc/net/route"));
        } catch (IOException e) {
            routes = ""; // not Linux, or no /proc: the interfaces alone decide
        }
        return choose(routes, interfaceAddresses()).orElseThrow(() -> new IllegalStateException(
                "this host has no non-loopback IPv4 address for Gluster bricks"));
    }

    /**
     * The lowest IPv4 address of the default route's interface; without one, the lowest of an
     * interface not made for a network on this host; at worst the lowest of any.
     *
     * @param routes     the text of {@code /proc/net/route} (empty if unknown)
     * @param byInterface each interface that is up, with its non-loopback, non-link-local IPv4 addresses
     */
    static Optional<String> choose(String routes, Map<String, List<String>> byInterface) {
        Optional<String> viaDefaultRoute = defaultRouteInterface(routes)
                .flatMap(name -> lowest(byInterface.getOrDefault(name, List.of())));
        if (viaDefaultRoute.isPresent()) {
            return viaDefaultRoute;
        }
        List<String> own = new ArrayList<>();
        List<String> any = new ArrayList<>();
        byInterface.forEach((name, addresses) -> {
            any.addAll(addresses);
            if (!MADE_HERE.matcher(name).matches()) {
                own.addAll(addresses);
            }
        });
        return lowest(own).or(() -> lowest(any));
    }

    /** The interface of the first route to 0.0.0.0/0 in {@code /proc/net/route}'s text. */
    static Optional<String> defaultRouteInterface(String routes) {
        return routes.lines().skip(1).map(line -> line.trim().split("\\s+"))
                .filter(fields -> fields.length >= 8 && fields[1].equals("00000000") && fields[7].equals("00000000"))
                .map(fields -> fields[0]).findFirst();
    }

    private static Optional<String> lowest(List<String> addresses) {
        return addresses.stream().min(Comparator.naturalOrder());
    }

    private static Map<String, List<String>> interfaceAddresses() {
        Map<String, List<String>> byInterface = new LinkedHashMap<>();
        try {
            for (NetworkInterface nic : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                        byInterface.computeIfAbsent(nic.getName(), n -> new ArrayList<>()).add(address.getHostAddress());
                    }
                }
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list this host's network interfaces", e);
        }
        return byInterface;
    }
}
