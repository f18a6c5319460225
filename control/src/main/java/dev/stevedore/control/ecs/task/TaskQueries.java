package dev.stevedore.control.ecs.task;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
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
import dev.stevedore.model.ecs.DescribeTasksRequest;
import dev.stevedore.model.ecs.DescribeTasksResponse;
import dev.stevedore.model.ecs.Failure;
import dev.stevedore.model.ecs.ListTasksRequest;
import dev.stevedore.model.ecs.ListTasksResponse;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskField;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * DescribeTasks and ListTasks.
 */
public final class TaskQueries {
    private final StateStore store;

    public TaskQueries(StateStore store) {
        this.store = store;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "DescribeTasks", Operations.typed(DescribeTasksRequest.class, this::describe),
                "ListTasks", Operations.typed(ListTasksRequest.class, this::list));
    }

    DescribeTasksResponse describe(CallContext ctx, DescribeTasksRequest request) {
        // ECS checks the list before it looks for the cluster (copilot-cli#3551 shows the message).
        if (request.tasks().isEmpty()) {
            throw EcsErrors.invalidParameter("Tasks cannot be empty.");
        }
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, request.cluster());
        if (request.tasks().size() > 100) {
            throw EcsErrors.invalidParameter("tasks can have at most 100 items.");
        }
        boolean withTags = request.include() != null && request.include().contains(TaskField.TAGS);
        return StoreTx.run(store, tx -> {
            Clusters.requireActive(tx, scope, cluster);
            List<Task> found = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (String ref : request.tasks()) {
                Optional<Task> task = Tasks.read(tx, scope, cluster, ref);
                if (task.isPresent()) {
                    Task t = task.get();
                    found.add(withTags ? t.toBuilder().tags(Tags.read(tx, scope, t.taskArn())).build()
                            : Tasks.answered(t));
                } else {
                    String arn = ref.startsWith("arn:") ? ref : Arns.task(scope, cluster, ref);
                    failures.add(Failure.builder().arn(arn).reason("MISSING").build());
                }
            }
            return new DescribeTasksResponse(failures, found);
        });
    }

    ListTasksResponse list(CallContext ctx, ListTasksRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, request.cluster());
        int size = Pagination.pageSize(request.maxResults(), 1, 100, 100);
        if (request.startedBy() != null && (request.family() != null || request.containerInstance() != null
                || request.serviceName() != null || request.launchType() != null)) {
            throw EcsErrors.invalidParameter("When you filter by startedBy, it must be the only filter.");
        }
        StoreTx.run(store, tx -> Clusters.requireActive(tx, scope, cluster));
        String desired = Optional.ofNullable(request.desiredStatus()).orElse(TaskStatus.RUNNING);
        Predicate<TaskListing> filter = t -> desired.equals(t.desiredStatus());
        if (request.family() != null) {
            filter = filter.and(t -> family(t.taskDefinitionArn()).equals(request.family()));
        }
        if (request.containerInstance() != null) {
            String wanted = Arns.idInCluster(scope, "container-instance", cluster, request.containerInstance())
                    .orElse("\0");
            filter = filter.and(t -> t.containerInstanceArn() != null && t.containerInstanceArn().endsWith("/" + wanted));
        }
        if (request.serviceName() != null) {
            filter = filter.and(t -> ("service:" + request.serviceName()).equals(t.group()));
        }
        if (request.startedBy() != null) {
            filter = filter.and(t -> request.startedBy().equals(t.startedBy()));
        }
        if (request.launchType() != null) {
            filter = filter.and(t -> request.launchType().equals(t.launchType()));
        }
        String fingerprint = String.join("|", "ListTasks", cluster, desired, String.valueOf(request.family()),
                String.valueOf(request.containerInstance()), String.valueOf(request.serviceName()),
                String.valueOf(request.startedBy()), String.valueOf(request.launchType()));
        Predicate<TaskListing> listed = filter;
        Pagination.Page<String> page = Pagination.pageByKey(store, EcsKeys.tasks(scope, cluster), request.nextToken(),
                size, fingerprint, kv -> {
                    TaskListing t = Records.decode(kv.value(), TaskListing.class);
                    return listed.test(t) ? Optional.of(t.taskArn()) : Optional.empty();
                });
        return new ListTasksResponse(page.nextToken().orElse(null), page.items());
    }

    /** The members of a stored task that ListTasks filters on; the rest of the record is skipped unread. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TaskListing(String taskArn, String desiredStatus, String taskDefinitionArn, String containerInstanceArn,
                       String group, String startedBy, String launchType) {
    }

    private static String family(String arn) {
        String familyRevision = arn.substring(arn.lastIndexOf('/') + 1);
        return familyRevision.substring(0, familyRevision.lastIndexOf(':'));
    }
}
