package dev.stevedore.control.ecs.service;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.ecs.Pagination;
import dev.stevedore.control.ecs.cluster.Clusters;
import dev.stevedore.control.ecs.tags.Tags;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.DescribeServicesRequest;
import dev.stevedore.model.ecs.DescribeServicesResponse;
import dev.stevedore.model.ecs.Failure;
import dev.stevedore.model.ecs.ListServicesRequest;
import dev.stevedore.model.ecs.ListServicesResponse;
import dev.stevedore.model.ecs.Service;
import dev.stevedore.model.ecs.ServiceField;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * DescribeServices and ListServices.
 */
public final class ServiceQueries {
    /** ECS describes at most this many services per call. */
    static final int MAX_DESCRIBE = 10;

    private final StateStore store;

    public ServiceQueries(StateStore store) {
        this.store = store;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "DescribeServices", Operations.typed(DescribeServicesRequest.class, this::describe),
                "ListServices", Operations.typed(ListServicesRequest.class, this::list));
    }

    DescribeServicesResponse describe(CallContext ctx, DescribeServicesRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, request.cluster());
        List<String> names = request.services();
        if (names.isEmpty()) {
            throw EcsErrors.invalidParameter("Services cannot be empty.");
        }
        if (names.size() > MAX_DESCRIBE) {
            throw EcsErrors.invalidParameter("Services cannot contain more than " + MAX_DESCRIBE + " items.");
        }
        boolean withTags = request.include() != null && request.include().contains(ServiceField.TAGS);
        return StoreTx.run(store, tx -> {
            Clusters.requireActive(tx, scope, cluster);
            List<Service> found = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (String name : names) {
                Optional<ServiceRef> ref = ServiceRef.parse(scope, cluster, name);
                Optional<Service> service = ref.flatMap(r -> Services.read(tx, r));
                if (service.isEmpty()) {
                    String arn = name.startsWith("arn:") ? name : ServiceArns.service(scope, cluster, name);
                    failures.add(Failure.builder().arn(arn).reason("MISSING").build());
                    continue;
                }
                ServiceEventLog log = tx.read(ref.get().eventsKey(), ServiceEventLog.class).orElse(ServiceEventLog.empty());
                Service.Builder b = service.get().toBuilder().events(log.events());
                if (withTags) {
                    b.tags(Tags.read(tx, scope, service.get().serviceArn()));
                }
                found.add(b.build());
            }
            return new DescribeServicesResponse(failures, found);
        });
    }

    ListServicesResponse list(CallContext ctx, ListServicesRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, request.cluster());
        int size = Pagination.pageSize(request.maxResults(), 1, 100, 10);
        StoreTx.run(store, tx -> Clusters.requireActive(tx, scope, cluster));
        String fingerprint = String.join("|", cluster, String.valueOf(request.launchType()),
                String.valueOf(request.schedulingStrategy()), String.valueOf(request.resourceManagementType()));
        Pagination.Page<String> page = Pagination.pageByKey(store, EcsKeys.services(scope, cluster),
                request.nextToken(), size, fingerprint, kv -> {
                    ServiceHeader s = Records.decode(kv.value(), ServiceHeader.class);
                    boolean listed = ServiceStatus.ACTIVE.equals(s.status())
                            && (request.launchType() == null || request.launchType().equals(s.launchType()))
                            && (request.schedulingStrategy() == null
                                || request.schedulingStrategy().equals(s.schedulingStrategy()))
                            && (request.resourceManagementType() == null
                                || request.resourceManagementType().equals(s.resourceManagementType()));
                    return listed ? Optional.of(s.serviceArn()) : Optional.empty();
                });
        return new ListServicesResponse(page.nextToken().orElse(null), page.items());
    }

    /** The members of a stored service that ListServices filters on. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ServiceHeader(String serviceArn, String status, String launchType, String schedulingStrategy,
                         String resourceManagementType) {
    }
}
