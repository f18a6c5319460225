package dev.stevedore.e2e;

import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.Task;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/** A cluster's tasks as the end-to-end tests look at them through the SDK: described, and waited for. */
record ClusterTasks(EcsClient ecs, String cluster) {

    /** Whether an instance of the cluster has its agent connected. */
    boolean agentConnected() {
        List<String> arns = ecs.listContainerInstances(b -> b.cluster(cluster)).containerInstanceArns();
        return !arns.isEmpty() && ecs.describeContainerInstances(b -> b.cluster(cluster).containerInstances(arns))
                .containerInstances().stream().anyMatch(ContainerInstance::agentConnected);
    }

    Task describe(String taskArn) {
        return ecs.describeTasks(b -> b.cluster(cluster).tasks(taskArn)).tasks().get(0);
    }

    /** Waits (up to 90 s) until the task's {@code lastStatus} is {@code status}; returns it as then described. */
    Task awaitStatus(String taskArn, String status) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> describe(taskArn).lastStatus().equals(status));
        return describe(taskArn);
    }
}
