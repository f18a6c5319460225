package dev.stevedore.control.ecs.instance;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.ecs.Pagination;
import dev.stevedore.control.ecs.cluster.Clusters;
import dev.stevedore.control.ecs.tags.Tags;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.ContainerInstance;
import dev.stevedore.model.ecs.ContainerInstanceField;
import dev.stevedore.model.ecs.DescribeContainerInstancesRequest;
import dev.stevedore.model.ecs.DescribeContainerInstancesResponse;
import dev.stevedore.model.ecs.Failure;
import dev.stevedore.model.ecs.ListContainerInstancesRequest;
import dev.stevedore.model.ecs.ListContainerInstancesResponse;
import dev.stevedore.model.ecs.UpdateContainerInstancesStateRequest;
import dev.stevedore.model.ecs.UpdateContainerInstancesStateResponse;
import dev.stevedore.scheduler.query.ClusterQuery;
import dev.stevedore.scheduler.query.QuerySyntaxException;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DescribeContainerInstances, ListContainerInstances (with the cluster query language) and
 * UpdateContainerInstancesState.
 */
public final class ContainerInstanceQueries {
    private final StateStore store;
    private final TaskGroupIndex groups;

    public ContainerInstanceQueries(StateStore store, TaskGroupIndex groups) {
        this.store = store;
        this.groups = groups;
    }

    /** The task groups on each instance of a cluster, for the query language's task:group. */
    @FunctionalInterface
    public interface TaskGroupIndex {
        Map<String, Map<String, Integer>> groupsByInstance(EcsScope scope, String cluster);
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "DescribeContainerInstances",
                Operations.typed(DescribeContainerInstancesRequest.class, this::describe),
                "ListContainerInstances", Operations.typed(ListContainerInstancesRequest.class, this::list),
                "UpdateContainerInstancesState",
                Operations.typed(UpdateContainerInstancesStateRequest.class, this::updateState));
    }

    DescribeContainerInstancesResponse describe(CallContext ctx, DescribeContainerInstancesRequest request) {
        requireInstances(request.containerInstances());
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, request.cluster());
        if (request.containerInstances().size() > 100) {
            throw EcsErrors.invalidParameter("containerInstances can have at most 100 items.");
        }
        boolean withTags = request.include() != null && request.include().contains(ContainerInstanceField.TAGS);
        return StoreTx.run(store, tx -> {
            Clusters.requireActive(tx, scope, cluster);
            List<ContainerInstance> found = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (String ref : request.containerInstances()) {
                Optional<ContainerInstance> instance = ContainerInstances.read(tx, scope, cluster, ref);
                if (instance.isPresent()) {
                    ContainerInstance i = instance.get();
                    // ECS always sends tags; include fills them.
                    found.add(i.toBuilder().tags(withTags ? Tags.read(tx, scope, i.containerInstanceArn())
                            : List.of()).build());
                } else {
                    String arn = ref.startsWith("arn:") ? ref : Arns.containerInstance(scope, cluster, ref);
                    failures.add(Failure.builder().arn(arn).reason("MISSING").build());
                }
            }
            return new DescribeContainerInstancesResponse(found, failures);
        });
    }

    ListContainerInstancesResponse list(CallContext ctx, ListContainerInstancesRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, request.cluster());
        int size = Pagination.pageSize(request.maxResults(), 1, 100, 100);
        Optional<ClusterQuery> filter = Optional.ofNullable(request.filter()).filter(f -> !f.isBlank()).map(f -> {
            try {
                return ClusterQuery.parse(f);
            } catch (QuerySyntaxException e) {
                throw EcsErrors.invalidParameter(e.getMessage());
            }
        });
        StoreTx.run(store, tx -> Clusters.requireActive(tx, scope, cluster));
        // Reading every task of the cluster is only worth it for a query about task groups.
        Map<String, Map<String, Integer>> groupsByInstance = filter.filter(ClusterQuery::readsTasks).isPresent()
                ? groups.groupsByInstance(scope, cluster) : Map.of();
        String fingerprint = "ListContainerInstances|" + cluster + "|" + request.filter() + "|" + request.status();
        Pagination.Page<String> page = Pagination.pageByKey(store, EcsKeys.containerInstances(scope, cluster),
                request.nextToken(), size, fingerprint, kv -> {
                    ContainerInstance i = Records.decode(kv.value(), ContainerInstance.class);
                    boolean statusMatches = request.status() == null
                            ? !InstanceStatus.INACTIVE.equals(i.status())
                            : request.status().equals(i.status());
                    boolean listed = statusMatches && filter.map(q -> q.matches(InstanceSnapshots.toState(i,
                            groupsByInstance.getOrDefault(i.containerInstanceArn(), Map.of())))).orElse(true);
                    return listed ? Optional.of(i.containerInstanceArn()) : Optional.empty();
                });
        return new ListContainerInstancesResponse(page.items(), page.nextToken().orElse(null));
    }

    UpdateContainerInstancesStateResponse updateState(CallContext ctx, UpdateContainerInstancesStateRequest request) {
        requireInstances(request.containerInstances());
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, request.cluster());
        String status = request.status();
        if (!InstanceStatus.ACTIVE.equals(status) && !InstanceStatus.DRAINING.equals(status)) {
            throw EcsErrors.invalidParameter("Container instances can only be set to ACTIVE or DRAINING.");
        }
        if (request.containerInstances().size() > 10) {
            throw EcsErrors.invalidParameter("containerInstances can have at most 10 items.");
        }
        return StoreTx.run(store, tx -> {
            Clusters.requireActive(tx, scope, cluster);
            List<ContainerInstance> changed = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (String ref : request.containerInstances()) {
                Optional<ContainerInstance> instance = ContainerInstances.read(tx, scope, cluster, ref);
                String arn = ref.startsWith("arn:") ? ref : Arns.containerInstance(scope, cluster, ref);
                if (instance.isEmpty()) {
                    failures.add(Failure.builder().arn(arn).reason("MISSING").build());
                } else if (InstanceStatus.INACTIVE.equals(instance.get().status())) {
                    failures.add(Failure.builder().arn(arn).reason("INACTIVE").build());
                } else if (status.equals(instance.get().status())) {
                    changed.add(instance.get());
                } else {
                    ContainerInstance next = instance.get().toBuilder()
                            .status(status)
                            .version(instance.get().version() + 1)
                            .build();
                    ContainerInstances.write(tx, scope, next);
                    changed.add(next);
                }
            }
            return new UpdateContainerInstancesStateResponse(changed, failures);
        });
    }

    /**
     * An empty list is refused before the cluster is looked at, with ECS's words as AWS SDK users
     * have reported them (moto#2473, gchq/sleeper#3387: "Container instance cannot be empty.").
     */
    private static void requireInstances(List<String> containerInstances) {
        if (containerInstances.isEmpty()) {
            throw EcsErrors.invalidParameter("Container instance cannot be empty.");
        }
    }
}
