package dev.stevedore.control.ecs.cluster;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.ecs.account.AccountSettings;
import dev.stevedore.control.ecs.Pagination;
import dev.stevedore.control.ecs.tags.Tags;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.Cluster;
import dev.stevedore.model.ecs.CreateClusterRequest;
import dev.stevedore.model.ecs.CreateClusterResponse;
import dev.stevedore.model.ecs.DeleteClusterRequest;
import dev.stevedore.model.ecs.DeleteClusterResponse;
import dev.stevedore.model.ecs.DescribeClustersRequest;
import dev.stevedore.model.ecs.DescribeClustersResponse;
import dev.stevedore.model.ecs.Failure;
import dev.stevedore.model.ecs.ListClustersRequest;
import dev.stevedore.model.ecs.ListClustersResponse;
import dev.stevedore.model.ecs.PutClusterCapacityProvidersRequest;
import dev.stevedore.model.ecs.PutClusterCapacityProvidersResponse;
import dev.stevedore.model.ecs.UpdateClusterRequest;
import dev.stevedore.model.ecs.UpdateClusterResponse;
import dev.stevedore.model.ecs.UpdateClusterSettingsRequest;
import dev.stevedore.model.ecs.UpdateClusterSettingsResponse;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster operations of the ECS API: create, describe, list, update, delete and capacity
 * provider association.
 */
public final class ClusterOperations {
    private final StateStore store;
    private final ClusterView view;
    private final AccountSettings accountSettings;

    public ClusterOperations(StateStore store, AccountSettings accountSettings) {
        this.store = store;
        this.view = new ClusterView(store);
        this.accountSettings = accountSettings;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateCluster", Operations.typed(CreateClusterRequest.class, this::create),
                "DescribeClusters", Operations.typed(DescribeClustersRequest.class, this::describe),
                "ListClusters", Operations.typed(ListClustersRequest.class, this::list),
                "DeleteCluster", Operations.typed(DeleteClusterRequest.class, this::delete),
                "UpdateCluster", Operations.typed(UpdateClusterRequest.class, this::update),
                "UpdateClusterSettings", Operations.typed(UpdateClusterSettingsRequest.class, this::updateSettings),
                "PutClusterCapacityProviders",
                Operations.typed(PutClusterCapacityProvidersRequest.class, this::putCapacityProviders));
    }

    /**
     * Creates the cluster, or answers the existing one unchanged when an ACTIVE cluster of that name
     * already exists, as ECS does.
     */
    CreateClusterResponse create(CallContext ctx, CreateClusterRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String name = Optional.ofNullable(request.clusterName()).orElse("default");
        if (!Arns.NAME.matcher(name).matches()) {
            throw EcsErrors.invalidParameter(
                    "Cluster name can have up to 255 characters: letters (upper and lower case), numbers, hyphens and underscores.");
        }
        ClusterSettings.check(request.settings());
        CapacityProviders.Association association =
                CapacityProviders.check(scope, request.capacityProviders(), request.defaultCapacityProviderStrategy());
        ClusterSettings.checkServiceConnect(request.serviceConnectDefaults());
        var tags = Tags.checkNew(request.tags());
        String arn = Arns.cluster(scope, name);
        Cluster stored = StoreTx.run(store, tx -> {
            Optional<Cluster> existing = tx.read(EcsKeys.cluster(scope, name), Cluster.class);
            if (existing.isPresent() && ClusterStatus.ACTIVE.equals(existing.get().status())) {
                return existing.get();
            }
            Cluster cluster = Cluster.builder()
                    .clusterArn(arn)
                    .clusterName(name)
                    .status(ClusterStatus.ACTIVE)
                    .configuration(request.configuration())
                    .settings(ClusterSettings.withDefaults(request.settings(), accountSettings.containerInsights(ctx)))
                    .capacityProviders(association.capacityProviders())
                    .defaultCapacityProviderStrategy(association.defaultStrategy())
                    .build();
            tx.put(EcsKeys.cluster(scope, name), cluster);
            Tags.write(tx, scope, arn, tags);
            return cluster;
        });
        return new CreateClusterResponse(view.renderAfterWrite(scope, stored));
    }

    DescribeClustersResponse describe(CallContext ctx, DescribeClustersRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        List<String> wanted = request.clusters() == null || request.clusters().isEmpty()
                ? List.of("default") : request.clusters();
        if (wanted.size() > 100) {
            throw EcsErrors.invalidParameter("Clusters cannot have more than 100 elements");
        }
        List<String> include = Optional.ofNullable(request.include()).orElse(List.of());
        List<Cluster> found = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (String ref : wanted) {
            Optional<Cluster> cluster = Arns.clusterName(scope, ref).flatMap(name -> view.find(scope, name));
            if (cluster.isPresent()) {
                found.add(view.render(scope, cluster.get(), include));
            } else {
                String arn = ref.startsWith("arn:") ? ref : Arns.cluster(scope, ref);
                failures.add(Failure.builder().arn(arn).reason("MISSING").build());
            }
        }
        return new DescribeClustersResponse(found, failures);
    }

    ListClustersResponse list(CallContext ctx, ListClustersRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        int size = Pagination.pageSize(request.maxResults(), 1, 100, 100);
        List<Cluster> active = view.all(scope).stream()
                .filter(c -> ClusterStatus.ACTIVE.equals(c.status()))
                .toList();
        Pagination.Page<Cluster> page = Pagination.page(active, Cluster::clusterName, request.nextToken(), size,
                "ListClusters", false);
        return new ListClustersResponse(page.items().stream().map(Cluster::clusterArn).toList(),
                page.nextToken().orElse(null));
    }

    DeleteClusterResponse delete(CallContext ctx, DeleteClusterRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String name = resolveName(scope, request.cluster());
        Cluster deleted = StoreTx.run(store, tx -> {
            Cluster cluster = activeCluster(tx, scope, name);
            ClusterUsage usage = view.usage(scope, name);
            if (usage.containerInstances() > 0) {
                throw EcsErrors.of("ClusterContainsContainerInstancesException",
                        "The Cluster cannot be deleted while Container Instances are active or draining.");
            }
            if (usage.services() > 0) {
                throw EcsErrors.of("ClusterContainsServicesException",
                        "The Cluster cannot be deleted while Services are active.");
            }
            if (usage.activeTasks() > 0) {
                throw EcsErrors.of("ClusterContainsTasksException",
                        "The Cluster cannot be deleted while Tasks are active.");
            }
            Cluster inactive = cluster.toBuilder().status(ClusterStatus.INACTIVE).build();
            tx.put(EcsKeys.cluster(scope, name), inactive);
            return inactive;
        });
        return new DeleteClusterResponse(view.renderAfterWrite(scope, deleted));
    }

    UpdateClusterResponse update(CallContext ctx, UpdateClusterRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String name = resolveName(scope, request.cluster());
        ClusterSettings.check(request.settings());
        ClusterSettings.checkServiceConnect(request.serviceConnectDefaults());
        Cluster updated = change(scope, name, cluster -> {
            Cluster.Builder b = cluster.toBuilder();
            if (request.settings() != null) {
                b.settings(ClusterSettings.merge(cluster.settings(), request.settings()));
            }
            if (request.configuration() != null) {
                b.configuration(request.configuration());
            }
            return b.build();
        });
        return new UpdateClusterResponse(view.render(scope, updated, ClusterView.UPDATE_VIEW));
    }

    UpdateClusterSettingsResponse updateSettings(CallContext ctx, UpdateClusterSettingsRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String name = resolveName(scope, request.cluster());
        ClusterSettings.check(request.settings());
        Cluster updated = change(scope, name, cluster -> cluster.toBuilder()
                .settings(ClusterSettings.merge(cluster.settings(), request.settings()))
                .build());
        return new UpdateClusterSettingsResponse(view.render(scope, updated, ClusterView.UPDATE_VIEW));
    }

    PutClusterCapacityProvidersResponse putCapacityProviders(CallContext ctx,
                                                             PutClusterCapacityProvidersRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String name = resolveName(scope, request.cluster());
        CapacityProviders.Association association =
                CapacityProviders.check(scope, request.capacityProviders(), request.defaultCapacityProviderStrategy());
        Cluster updated = change(scope, name, cluster -> cluster.toBuilder()
                .capacityProviders(association.capacityProviders())
                .defaultCapacityProviderStrategy(association.defaultStrategy())
                .build());
        return new PutClusterCapacityProvidersResponse(view.render(scope, updated, ClusterView.UPDATE_VIEW));
    }

    /** Applies {@code edit} to the ACTIVE cluster and stores the result, in one conditional write. */
    private Cluster change(EcsScope scope, String name, java.util.function.UnaryOperator<Cluster> edit) {
        return StoreTx.run(store, tx -> {
            Cluster next = edit.apply(activeCluster(tx, scope, name));
            tx.put(EcsKeys.cluster(scope, name), next);
            return next;
        });
    }

    private static String resolveName(EcsScope scope, String clusterOrArn) {
        return Arns.clusterName(scope, clusterOrArn).orElseThrow(EcsErrors::clusterNotFound);
    }

    /** The cluster, read as a condition of the transaction; gone or INACTIVE clusters are not found. */
    static Cluster activeCluster(StoreTx tx, EcsScope scope, String name) {
        return tx.read(EcsKeys.cluster(scope, name), Cluster.class)
                .filter(c -> ClusterStatus.ACTIVE.equals(c.status()))
                .orElseThrow(EcsErrors::clusterNotFound);
    }

    /** Cluster status values as the model spells them. */
    static final class ClusterStatus {
        static final String ACTIVE = "ACTIVE";
        static final String INACTIVE = "INACTIVE";

        private ClusterStatus() {
        }
    }
}
