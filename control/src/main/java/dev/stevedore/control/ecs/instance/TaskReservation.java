package dev.stevedore.control.ecs.instance;

import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.ContainerOverride;
import dev.stevedore.model.ecs.PortMapping;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.model.ecs.TaskOverride;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one task takes from its container instance while it is not STOPPED: the task-level CPU and
 * memory when set, else the sums over its containers (memoryReservation, else memory), and the
 * static host ports its port mappings claim. Dynamic host ports are not reserved, as in ECS.
 */
public record TaskReservation(int cpu, int memoryMiB, Set<Integer> tcpPorts, Set<Integer> udpPorts) {

    public TaskReservation {
        tcpPorts = Set.copyOf(tcpPorts);
        udpPorts = Set.copyOf(udpPorts);
    }

    public static TaskReservation of(TaskDefinition td, TaskOverride overrides) {
        List<ContainerOverride> containerOverrides = overrides == null || overrides.containerOverrides() == null
                ? List.of() : overrides.containerOverrides();
        int cpuSum = 0;
        int memorySum = 0;
        Set<Integer> tcp = new TreeSet<>();
        Set<Integer> udp = new TreeSet<>();
        String mode = td.networkMode() == null ? "bridge" : td.networkMode();
        for (ContainerDefinition c : td.containerDefinitions()) {
            Optional<ContainerOverride> o = containerOverrides.stream()
                    .filter(x -> c.name().equals(x.name())).findFirst();
            cpuSum += o.map(ContainerOverride::cpu).orElse(Optional.ofNullable(c.cpu()).orElse(0));
            Integer memory = o.map(ContainerOverride::memory).orElse(c.memory());
            Integer reservation = o.map(ContainerOverride::memoryReservation).orElse(c.memoryReservation());
            memorySum += reservation != null ? reservation : Optional.ofNullable(memory).orElse(0);
            for (PortMapping pm : Optional.ofNullable(c.portMappings()).orElse(List.of())) {
                Integer host = switch (mode) {
                    case "host" -> pm.containerPort();
                    case "bridge" -> pm.hostPort() != null && pm.hostPort() > 0 ? pm.hostPort() : null;
                    default -> null;  // awsvpc ports live in the task's own namespace; none has no ports
                };
                if (host != null) {
                    ("udp".equals(pm.protocol()) ? udp : tcp).add(host);
                }
            }
        }
        int cpu = firstNumber(overrides == null ? null : overrides.cpu(), td.cpu()).orElse(cpuSum);
        int memory = firstNumber(overrides == null ? null : overrides.memory(), td.memory()).orElse(memorySum);
        return new TaskReservation(cpu, memory, tcp, udp);
    }

    private static Optional<Integer> firstNumber(String override, String definition) {
        for (String s : new String[] {override, definition}) {
            if (s != null && s.matches("[0-9]+")) {
                return Optional.of(Integer.parseInt(s));
            }
        }
        return Optional.empty();
    }
}
