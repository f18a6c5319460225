package dev.stevedore.control.ecs.taskset;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.ecs.cluster.Clusters;
import dev.stevedore.control.ecs.service.ServiceArns;
import dev.stevedore.control.ecs.service.ServiceRef;
import dev.stevedore.control.ecs.service.Services;
import dev.stevedore.control.ecs.tags.Tags;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.DescribeTaskSetsRequest;
import dev.stevedore.model.ecs.DescribeTaskSetsResponse;
import dev.stevedore.model.ecs.Failure;
import dev.stevedore.model.ecs.Service;
import dev.stevedore.model.ecs.TaskSet;
import dev.stevedore.model.ecs.TaskSetField;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DescribeTaskSets: the sets of a service of the EXTERNAL controller, all of them or the ones named
 * (by id or ARN; a well-formed name of no set of the service is a {@code MISSING} failure).
 */
public final class TaskSetQueries {
    private final StateStore store;

    public TaskSetQueries(StateStore store) {
        this.store = store;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of("DescribeTaskSets", Operations.typed(DescribeTaskSetsRequest.class, this::describe));
    }

    DescribeTaskSetsResponse describe(CallContext ctx, DescribeTaskSetsRequest r) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, r.cluster());
        // Named sets are checked before any state is read, as every identifier must be well formed.
        List<String> named = r.taskSets() == null ? List.of() : r.taskSets();
        named.forEach(TaskSetRules::checkIdentifier);
        boolean withTags = r.include() != null && r.include().contains(TaskSetField.TAGS);
        return StoreTx.run(store, tx -> {
            Service service = TaskSetRules.service(tx, scope, cluster, r.service(), false);
            ServiceRef ref = Services.ref(scope, service);
            List<TaskSet> found = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            if (named.isEmpty()) {
                found.addAll(Services.taskSets(service));
            }
            for (String name : named) {
                Optional<TaskSet> set = TaskSetRules.find(service, name);
                if (set.isPresent()) {
                    found.add(set.get());
                } else {
                    String arn = name.startsWith("arn:") ? name : ServiceArns.taskSet(scope, ref.cluster(), ref.name(), name);
                    failures.add(Failure.builder().arn(arn).reason("MISSING").build());
                }
            }
            if (withTags) {
                found.replaceAll(s -> s.toBuilder().tags(Tags.read(tx, scope, s.taskSetArn())).build());
            }
            return new DescribeTaskSetsResponse(failures, found);
        });
    }
}
