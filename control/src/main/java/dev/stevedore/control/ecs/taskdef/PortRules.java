package dev.stevedore.control.ecs.taskdef;

import static dev.stevedore.control.ecs.taskdef.Absent.orEmpty;

import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.NetworkMode;
import dev.stevedore.model.ecs.PortMapping;
import dev.stevedore.model.ecs.TransportProtocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Port mappings, links and hostnames, which depend on the task's network mode.
 *
 * <p>An absent network mode is Docker's default, bridge, for every rule here, but stays absent on
 * the wire: ECS does not echo a network mode nobody asked for.
 */
final class PortRules {

    private static final int MAX_PORT = 65_535;
    private static final int MAX_RANGES_PER_CONTAINER = 100;
    private static final Pattern RANGE = Pattern.compile("(\\d{1,5})-(\\d{1,5})");

    private PortRules() {
    }

    static String effectiveMode(String networkMode) {
        return networkMode == null ? NetworkMode.BRIDGE : networkMode;
    }

    /**
     * Checks one container's port mappings and returns them as ECS stores them: protocol tcp when
     * absent, and the host port filled in (the container port where the two must match, 0 for a
     * dynamic bridge port), because describe shows them that way.
     */
    static List<PortMapping> normalise(ContainerDefinition container, String mode) {
        List<PortMapping> mappings = orEmpty(container.portMappings());
        if (mappings.isEmpty()) {
            return List.of();
        }
        String name = container.name();
        if (NetworkMode.NONE.equals(mode)) {
            // Unverified text, worded like the verified "Links are not supported when networkMode=awsvpc."
            throw InvalidTaskDefinitionException.client("Port mappings are not supported when networkMode=none.");
        }
        List<PortMapping> stored = new ArrayList<>(mappings.size());
        for (PortMapping mapping : mappings) {
            stored.add(mapping.containerPortRange() != null
                    ? normaliseRange(mapping, name, mode)
                    : normaliseSingle(mapping, name, mode));
        }
        checkNoDuplicateContainerPorts(stored, name);
        checkRanges(stored, name);
        return List.copyOf(stored);
    }

    private static PortMapping normaliseSingle(PortMapping mapping, String name, String mode) {
        Integer containerPort = mapping.containerPort();
        if (containerPort == null || containerPort < 1 || containerPort > MAX_PORT) {
            // Verified, also for a mapping that has only a hostPort.
            throw InvalidTaskDefinitionException.client("Invalid 'containerPort' setting for container '" + name + "'.");
        }
        Integer hostPort = mapping.hostPort();
        if (hostPort != null && (hostPort < 0 || hostPort > MAX_PORT)) {
            throw InvalidTaskDefinitionException.client("Invalid 'hostPort' setting for container '" + name + "'."); // unverified
        }
        boolean dynamic = hostPort == null || hostPort == 0;
        boolean sameAsContainer = NetworkMode.HOST.equals(mode) || NetworkMode.AWSVPC.equals(mode);
        if (sameAsContainer && !dynamic && !hostPort.equals(containerPort)) {
            // Verified for awsvpc; host is documented to follow the same rule.
            throw InvalidTaskDefinitionException.client(
                    "When networkMode=" + mode + ", the host ports and container ports in port mappings must match.");
        }
        int storedHostPort = sameAsContainer ? containerPort : dynamic ? 0 : hostPort;
        return mapping.toBuilder().hostPort(storedHostPort).protocol(protocolOf(mapping)).build();
    }

    private static PortMapping normaliseRange(PortMapping mapping, String name, String mode) {
        // All texts for ranges are unverified; the rules are from the PortMapping documentation.
        String prefix = "Invalid 'containerPortRange' setting for container '" + name + "'. ";
        if (!NetworkMode.BRIDGE.equals(mode) && !NetworkMode.AWSVPC.equals(mode)) {
            throw InvalidTaskDefinitionException.client(prefix + "Port ranges are only supported when networkMode is bridge or awsvpc.");
        }
        if (mapping.containerPort() != null) {
            throw InvalidTaskDefinitionException.client(prefix + "A port mapping cannot have both a containerPort and a containerPortRange.");
        }
        if (mapping.hostPort() != null) {
            throw InvalidTaskDefinitionException.client(prefix + "A hostPort cannot be specified with a containerPortRange.");
        }
        int[] bounds = bounds(mapping.containerPortRange());
        if (bounds.length == 0) {
            throw InvalidTaskDefinitionException.client(prefix
                    + "The range must be written start-end, with 1 <= start < end <= 65535.");
        }
        return mapping.toBuilder().protocol(protocolOf(mapping)).build();
    }

    /** The two ends of a "start-end" range, or an empty array when the text is not a valid range. */
    private static int[] bounds(String range) {
        Matcher m = RANGE.matcher(range);
        if (!m.matches()) {
            return new int[0];
        }
        int start = Integer.parseInt(m.group(1));
        int end = Integer.parseInt(m.group(2));
        return start >= 1 && start < end && end <= MAX_PORT ? new int[] {start, end} : new int[0];
    }

    private static String protocolOf(PortMapping mapping) {
        return mapping.protocol() == null ? TransportProtocol.TCP : mapping.protocol();
    }

    private static void checkNoDuplicateContainerPorts(List<PortMapping> stored, String name) {
        Set<String> seen = new HashSet<>();
        for (PortMapping mapping : stored) {
            if (mapping.containerPort() != null && !seen.add(mapping.containerPort() + "/" + mapping.protocol())) {
                // Verified text and code (ECS answers this one with InvalidParameterException, no full stop).
                throw InvalidTaskDefinitionException.invalidParameter("Container port " + mapping.containerPort()
                        + " is used in more than one port mapping for container " + name);
            }
        }
    }

    private static void checkRanges(List<PortMapping> stored, String name) {
        long ranges = stored.stream().filter(m -> m.containerPortRange() != null).count();
        String prefix = "Invalid 'containerPortRange' setting for container '" + name + "'. "; // unverified texts
        if (ranges > MAX_RANGES_PER_CONTAINER) {
            throw InvalidTaskDefinitionException.client(prefix + "A container can have at most 100 port ranges.");
        }
        if (ranges == 0) {
            return;
        }
        record Span(String protocol, int start, int end) {
        }
        List<Span> spans = new ArrayList<>();
        for (PortMapping mapping : stored) {
            int[] b = mapping.containerPortRange() != null
                    ? bounds(mapping.containerPortRange())
                    : new int[] {mapping.containerPort(), mapping.containerPort()};
            spans.add(new Span(mapping.protocol(), b[0], b[1]));
        }
        spans.sort(Comparator.comparing(Span::protocol).thenComparingInt(Span::start));
        for (int i = 1; i < spans.size(); i++) {
            Span before = spans.get(i - 1);
            Span after = spans.get(i);
            if (before.protocol().equals(after.protocol()) && after.start() <= before.end()) {
                throw InvalidTaskDefinitionException.client(prefix + "Port ranges must not overlap.");
            }
        }
    }

    /**
     * Two containers of one task cannot claim the same static host port: on bridge and host they
     * share the instance's ports, on awsvpc the task's network interface.
     */
    static void checkHostPortsUnique(List<ContainerDefinition> storedContainers) {
        Set<String> seen = new HashSet<>();
        for (ContainerDefinition container : storedContainers) {
            for (PortMapping mapping : orEmpty(container.portMappings())) {
                Integer hostPort = mapping.hostPort();
                if (hostPort != null && hostPort > 0 && !seen.add(hostPort + "/" + mapping.protocol())) {
                    // Verified, e.g. "TCP host port '3000' is mapped multiple times in task."
                    throw InvalidTaskDefinitionException.client(mapping.protocol().toUpperCase(Locale.ROOT)
                            + " host port '" + hostPort + "' is mapped multiple times in task.");
                }
            }
        }
    }

    /** Links are Docker bridge-network aliases; hostnames are owned by the task's interface on awsvpc and by the instance on host. */
    static void checkLinksAndHostname(ContainerDefinition container, String mode) {
        if (!orEmpty(container.links()).isEmpty() && !NetworkMode.BRIDGE.equals(mode)) {
            // Verified for awsvpc.
            throw InvalidTaskDefinitionException.client("Links are not supported when networkMode=" + mode + ".");
        }
        if (container.hostname() != null && (NetworkMode.AWSVPC.equals(mode) || NetworkMode.HOST.equals(mode))) {
            // Verified for awsvpc.
            throw InvalidTaskDefinitionException.client("hostname is not supported on container when networkMode=" + mode + ".");
        }
    }
}
