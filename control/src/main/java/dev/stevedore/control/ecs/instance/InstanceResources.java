package dev.stevedore.control.ecs.instance;

import dev.stevedore.model.ecs.Resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The resources of a container instance in the four kinds ECS tracks: CPU units, memory in MiB,
 * and the TCP and UDP host ports that are reserved or in use.
 */
public record InstanceResources(int cpu, int memoryMiB, Set<Integer> tcpPorts, Set<Integer> udpPorts) {

    public InstanceResources {
        tcpPorts = Set.copyOf(tcpPorts);
        udpPorts = Set.copyOf(udpPorts);
    }

    /** Reads the wire form; CPU and MEMORY are required, the port sets default to empty. */
    public static Optional<InstanceResources> fromWire(List<Resource> resources) {
        if (resources == null) {
            return Optional.empty();
        }
        Integer cpu = null;
        Integer memory = null;
        Set<Integer> tcp = new TreeSet<>();
        Set<Integer> udp = new TreeSet<>();
        for (Resource r : resources) {
            switch (String.valueOf(r.name())) {
                case "CPU" -> cpu = number(r);
                case "MEMORY" -> memory = number(r);
                case "PORTS" -> tcp.addAll(ports(r));
                case "PORTS_UDP" -> udp.addAll(ports(r));
                default -> { }  // GPU and others are not tracked yet
            }
        }
        if (cpu == null || memory == null) {
            return Optional.empty();
        }
        return Optional.of(new InstanceResources(cpu, memory, tcp, udp));
    }

    /** The wire form, as ECS answers it: all four resources, unused numeric members as zero. */
    public List<Resource> toWire() {
        List<Resource> out = new ArrayList<>(4);
        out.add(integer("CPU", cpu));
        out.add(integer("MEMORY", memoryMiB));
        out.add(portSet("PORTS", tcpPorts));
        out.add(portSet("PORTS_UDP", udpPorts));
        return out;
    }

    /** What remains after a task takes its reservation. */
    public InstanceResources minus(TaskReservation task) {
        Set<Integer> tcp = new TreeSet<>(tcpPorts);
        tcp.addAll(task.tcpPorts());
        Set<Integer> udp = new TreeSet<>(udpPorts);
        udp.addAll(task.udpPorts());
        return new InstanceResources(cpu - task.cpu(), memoryMiB - task.memoryMiB(), tcp, udp);
    }

    /** What remains after a task gives its reservation back. */
    public InstanceResources plus(TaskReservation task) {
        Set<Integer> tcp = new TreeSet<>(tcpPorts);
        tcp.removeAll(task.tcpPorts());
        Set<Integer> udp = new TreeSet<>(udpPorts);
        udp.removeAll(task.udpPorts());
        return new InstanceResources(cpu + task.cpu(), memoryMiB + task.memoryMiB(), tcp, udp);
    }

    private static int number(Resource r) {
        if (r.integerValue() != null) {
            return r.integerValue();
        }
        if (r.longValue() != null) {
            return Math.toIntExact(r.longValue());
        }
        return r.doubleValue() == null ? 0 : (int) Math.floor(r.doubleValue());
    }

    private static List<Integer> ports(Resource r) {
        List<Integer> out = new ArrayList<>();
        for (String s : Optional.ofNullable(r.stringSetValue()).orElse(List.of())) {
            try {
                out.add(Integer.parseInt(s.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("port '" + s + "' of " + r.name() + " is not a number");
            }
        }
        return out;
    }

    private static Resource integer(String name, int value) {
        return new Resource(0.0, value, 0L, name, null, "INTEGER");
    }

    private static Resource portSet(String name, Set<Integer> ports) {
        List<String> values = new ArrayList<>();
        new TreeSet<>(ports).forEach(p -> values.add(Integer.toString(p)));
        return new Resource(0.0, 0, 0L, name, values, "STRINGSET");
    }
}
