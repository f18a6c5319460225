package dev.stevedore.control.ecs;

import dev.stevedore.awsproto.RateCategory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ECS's documented request rates ("Request throttling for the Amazon ECS API"): the action categories,
 * each a bucket per account and Region with its burst and sustained rate. Operations ECS lists in no
 * category (DiscoverPollEndpoint, the task set calls, …) are not throttled here either. The page spells
 * one name UpdateContainerInstancesStates; the operation is UpdateContainerInstancesState.
 */
public final class EcsRequestRates {

    private EcsRequestRates() {
    }

    private static final List<Entry> TABLE = List.of(
            new Entry("Cluster modify actions", 20, 1, List.of("CreateCluster", "DeleteCluster",
                    "PutClusterCapacityProviders", "UpdateCluster", "UpdateClusterSettings")),
            new Entry("Cluster read actions", 50, 20, List.of("DescribeClusters", "ListClusters")),
            new Entry("Task definition modify actions", 20, 1, List.of("DeregisterTaskDefinition",
                    "RegisterTaskDefinition")),
            new Entry("Task definition read actions", 50, 20, List.of("DescribeTaskDefinition",
                    "ListTaskDefinitions", "ListTaskDefinitionFamilies")),
            new Entry("Task definition deletion actions", 5, 1, List.of("DeleteTaskDefinitions")),
            new Entry("Capacity provider modify actions", 10, 1, List.of("CreateCapacityProvider",
                    "DeleteCapacityProvider", "UpdateCapacityProvider")),
            new Entry("Capacity provider read actions", 50, 20, List.of("DescribeCapacityProviders")),
            new Entry("Tag modify actions", 20, 10, List.of("TagResource", "UntagResource")),
            new Entry("Tag read actions", 50, 20, List.of("ListTagsForResource")),
            new Entry("Setting modify actions", 10, 1, List.of("DeleteAccountSetting", "PutAccountSetting",
                    "PutAccountSettingDefault")),
            new Entry("Setting read actions", 50, 20, List.of("ListAccountSettings")),
            new Entry("Cluster resource modify actions", 100, 40, List.of("DeleteAttributes",
                    "DeregisterContainerInstance", "ExecuteCommand", "PutAttributes", "RunTask", "StartTask",
                    "StopTask", "UpdateContainerAgent", "UpdateContainerInstancesState")),
            new Entry("Cluster resource read actions", 100, 20, List.of("DescribeContainerInstances",
                    "DescribeTasks", "ListAttributes", "ListContainerInstances", "ListTasks")),
            new Entry("Agent modify actions", 200, 120, List.of("RegisterContainerInstance",
                    "SubmitAttachmentStateChanges", "SubmitContainerStateChange", "SubmitTaskStateChange")),
            new Entry("Service modify actions", 50, 5, List.of("CreateService", "DeleteService", "UpdateService")),
            new Entry("Service read actions", 100, 20, List.of("DescribeServices", "ListServices")),
            new Entry("Service deployment actions", 50, 20, List.of("DescribeServiceDeployments",
                    "ListServiceDeployments")),
            new Entry("Service revision actions", 50, 20, List.of("DescribeServiceRevisions")),
            new Entry("Task protection actions", 200, 80, List.of("UpdateTaskProtection", "GetTaskProtection")),
            new Entry("Cluster service resource read actions", 10, 1, List.of("ListServicesByNamespace")));

    /** Each categorised ECS operation and its category. */
    public static Map<String, RateCategory> byOperation() {
        Map<String, RateCategory> byOperation = new LinkedHashMap<>();
        for (Entry entry : TABLE) {
            RateCategory category = new RateCategory(entry.name(), entry.burst(), entry.sustained());
            entry.operations().forEach(op -> byOperation.put(op, category));
        }
        return Map.copyOf(byOperation);
    }

    private record Entry(String name, int burst, int sustained, List<String> operations) {
    }
}
