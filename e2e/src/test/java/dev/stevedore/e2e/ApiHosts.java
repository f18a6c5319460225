package dev.stevedore.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * A cluster of hosts registered through the API (their agents, if any, are channel clients the
 * test runs), as the crash and failover tests use it: what they register and what they read back.
 */
final class ApiHosts {

    private ApiHosts() {}

    /** Creates {@code cluster} and registers {@code hosts} container instances of the given size into it. */
    static List<String> register(EcsClient ecs, String cluster, int hosts, int cpu, int memory) {
        ecs.createCluster(b -> b.clusterName(cluster));
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            arns.add(ecs.registerContainerInstance(b -> b.cluster(cluster).totalResources(
                            Resource.builder().name("CPU").type("INTEGER").integerValue(cpu).build(),
                            Resource.builder().name("MEMORY").type("INTEGER").integerValue(memory).build()))
                    .containerInstance().containerInstanceArn());
        }
        return arns;
    }

    /** Waits until {@code hosts} instances of {@code cluster} show their agent connected. */
    static void awaitAgentsConnected(StevedoreProcess server, String cluster, int hosts, Duration within)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        try (EcsClient ecs = server.ecs()) {
            while (true) {
                List<String> arns = ecs.listContainerInstances(b -> b.cluster(cluster)).containerInstanceArns();
                // Agents that register themselves may not have yet (and describing none is refused).
                long connected = arns.isEmpty() ? 0 : ecs.describeContainerInstances(b -> b.cluster(cluster)
                        .containerInstances(arns)).containerInstances().stream()
                        .filter(i -> Boolean.TRUE.equals(i.agentConnected())).count();
                if (connected == hosts) {
                    return;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(connected + " of " + hosts + " agents connected after "
                            + within.toSeconds() + " s");
                }
                Thread.sleep(50);
            }
        }
    }

    /** Every task of {@code cluster}, whatever its desired status. */
    static Map<String, Task> allTasks(EcsClient ecs, String cluster) {
        List<String> arns = new ArrayList<>();
        for (DesiredStatus status : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
            ecs.listTasksPaginator(b -> b.cluster(cluster).desiredStatus(status)).taskArns().forEach(arns::add);
        }
        Map<String, Task> tasks = new HashMap<>();
        for (int from = 0; from < arns.size(); from += 100) {
            List<String> batch = arns.subList(from, Math.min(arns.size(), from + 100));
            ecs.describeTasks(b -> b.cluster(cluster).tasks(batch)).tasks().forEach(t -> {
                if (tasks.put(t.taskArn(), t) != null) {
                    throw new IllegalStateException("ListTasks named " + t.taskArn() + " twice");
                }
            });
        }
        return tasks;
    }
}
