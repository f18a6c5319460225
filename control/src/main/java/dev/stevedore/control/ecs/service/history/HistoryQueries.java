package dev.stevedore.control.ecs.service.history;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.ecs.Pagination;
import dev.stevedore.control.ecs.cluster.Clusters;
import dev.stevedore.control.ecs.service.ServiceRef;
import dev.stevedore.control.ecs.service.Services;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.CreatedAt;
import dev.stevedore.model.ecs.DescribeServiceDeploymentsRequest;
import dev.stevedore.model.ecs.DescribeServiceDeploymentsResponse;
import dev.stevedore.model.ecs.DescribeServiceRevisionsRequest;
import dev.stevedore.model.ecs.DescribeServiceRevisionsResponse;
import dev.stevedore.model.ecs.Failure;
import dev.stevedore.model.ecs.ListServiceDeploymentsRequest;
import dev.stevedore.model.ecs.ListServiceDeploymentsResponse;
import dev.stevedore.model.ecs.ServiceDeployment;
import dev.stevedore.model.ecs.ServiceDeploymentBrief;
import dev.stevedore.model.ecs.ServiceRevision;
import dev.stevedore.store.StateStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * ListServiceDeployments, DescribeServiceDeployments and DescribeServiceRevisions: the deployment
 * history of services as the controller and the service operations record it.
 */
public final class HistoryQueries {
    /** ECS describes at most this many service deployments or revisions per call. */
    static final int MAX_DESCRIBE = 20;

    private final StateStore store;

    public HistoryQueries(StateStore store) {
        this.store = store;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "ListServiceDeployments", Operations.typed(ListServiceDeploymentsRequest.class, this::list),
                "DescribeServiceDeployments",
                Operations.typed(DescribeServiceDeploymentsRequest.class, this::describeDeployments),
                "DescribeServiceRevisions",
                Operations.typed(DescribeServiceRevisionsRequest.class, this::describeRevisions));
    }

    ListServiceDeploymentsResponse list(CallContext ctx, ListServiceDeploymentsRequest r) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, r.cluster());
        int size = Pagination.pageSize(r.maxResults(), 1, 100, 20);
        Set<String> statuses = r.status() == null ? Set.of() : new TreeSet<>(r.status());
        Optional<Instant> after = Optional.ofNullable(r.createdAt()).map(CreatedAt::after);
        Optional<Instant> before = Optional.ofNullable(r.createdAt()).map(CreatedAt::before);
        Optional<ServiceRef> named = ServiceRef.parse(scope, cluster, r.service());
        List<ServiceDeployment> all = StoreTx.run(store, tx -> {
            Clusters.requireActive(tx, scope, cluster);
            ServiceRef ref = named.filter(n -> Services.read(tx, n).isPresent()).orElseThrow(Services::notFound);
            return tx.scan(EcsKeys.serviceDeployments(scope, cluster, ref.name()), ServiceDeployment.class);
        });
        // Keys are hashed ids, in no useful order: the listing is sorted here, newest first.
        List<ServiceDeployment> listed = all.stream()
                .filter(sd -> statuses.isEmpty() || statuses.contains(sd.status()))
                .filter(sd -> after.map(t -> sd.createdAt().isAfter(t)).orElse(true))
                .filter(sd -> before.map(t -> sd.createdAt().isBefore(t)).orElse(true))
                .sorted(Comparator.comparing(HistoryQueries::position).reversed())
                .toList();
        String fingerprint = String.join("|", "ListServiceDeployments", cluster, named.orElseThrow().name(),
                String.join(",", statuses), String.valueOf(after.orElse(null)), String.valueOf(before.orElse(null)));
        Pagination.Page<ServiceDeployment> page = Pagination.page(listed, HistoryQueries::position, r.nextToken(),
                size, fingerprint, true);
        return new ListServiceDeploymentsResponse(page.nextToken().orElse(null),
                page.items().stream().map(HistoryQueries::brief).toList());
    }

    DescribeServiceDeploymentsResponse describeDeployments(CallContext ctx, DescribeServiceDeploymentsRequest r) {
        EcsScope scope = EcsScope.of(ctx);
        List<String> arns = checkCount(r.serviceDeploymentArns(), "serviceDeploymentArns");
        return describe(arns, ServiceDeployment.class, (tx, arn) -> HistoryArns.deployment(scope, arn)
                .flatMap(a -> tx.read(a.deploymentKey(), ServiceDeployment.class)),
                DescribeServiceDeploymentsResponse::new);
    }

    DescribeServiceRevisionsResponse describeRevisions(CallContext ctx, DescribeServiceRevisionsRequest r) {
        EcsScope scope = EcsScope.of(ctx);
        List<String> arns = checkCount(r.serviceRevisionArns(), "serviceRevisionArns");
        return describe(arns, ServiceRevision.class, (tx, arn) -> HistoryArns.revision(scope, arn)
                .flatMap(a -> tx.read(a.revisionKey(), ServiceRevision.class)),
                DescribeServiceRevisionsResponse::new);
    }

    /** Each ARN's record, or a MISSING failure for an ARN that names none, as ECS's Describe calls answer. */
    private <T, R> R describe(List<String> arns, Class<T> type, BiFunction<StoreTx, String, Optional<T>> find,
                              BiFunction<List<Failure>, List<T>, R> response) {
        return StoreTx.run(store, tx -> {
            List<T> found = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (String arn : arns) {
                find.apply(tx, arn).ifPresentOrElse(found::add,
                        () -> failures.add(Failure.builder().arn(arn).reason("MISSING").build()));
            }
            return response.apply(failures, found);
        });
    }

    private static List<String> checkCount(List<String> arns, String member) {
        if (arns.isEmpty()) {
            throw EcsErrors.invalidParameter(member + " cannot be empty.");
        }
        if (arns.size() > MAX_DESCRIBE) {
            throw EcsErrors.invalidParameter(member + " can have at most " + MAX_DESCRIBE + " items.");
        }
        return arns;
    }

    /**
     * Where a deployment sits in the listing: its creation time (fixed width, so that text order is
     * time order), then its ARN to keep deployments created in the same instant apart.
     */
    private static String position(ServiceDeployment sd) {
        return String.format("%019d.%09d/%s", sd.createdAt().getEpochSecond(), sd.createdAt().getNano(),
                sd.serviceDeploymentArn());
    }

    private static ServiceDeploymentBrief brief(ServiceDeployment sd) {
        return ServiceDeploymentBrief.builder()
                .serviceDeploymentArn(sd.serviceDeploymentArn())
                .serviceArn(sd.serviceArn())
                .clusterArn(sd.clusterArn())
                .createdAt(sd.createdAt())
                .startedAt(sd.startedAt())
                .finishedAt(sd.finishedAt())
                .targetServiceRevisionArn(sd.targetServiceRevision() == null ? null : sd.targetServiceRevision().arn())
                .status(sd.status())
                .statusReason(sd.statusReason())
                .build();
    }
}
