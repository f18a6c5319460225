package dev.stevedore.control.ecs.service.controller;

import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.fargate.PlatformPool;
import dev.stevedore.control.ecs.feed.ClusterFeed;
import dev.stevedore.control.ecs.feed.ClusterRef;
import dev.stevedore.control.ecs.feed.EcsKey;
import dev.stevedore.control.ecs.feed.FeedEvent;
import dev.stevedore.control.ecs.feed.InstanceSummary;
import dev.stevedore.control.ecs.feed.StoreScan;
import dev.stevedore.control.ecs.feed.TaskSummary;
import dev.stevedore.control.ecs.placement.PlanApplier;
import dev.stevedore.control.ecs.service.ServiceRef;
import dev.stevedore.control.ecs.service.rollout.RolloutSettings;
import dev.stevedore.control.ecs.taskdef.TaskDefinitionOperations;
import dev.stevedore.control.ecs.task.TaskRoleTrust;
import dev.stevedore.control.runtime.WorkQueue;
import dev.stevedore.control.elb.ServiceTargets;
import dev.stevedore.control.state.Records;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The service scheduler: a level-triggered controller keyed by service. The feed's changes (a
 * service written, a task of a service changing, an instance draining or leaving, a task
 * protected) are turned into the services they concern and queued; each pass of a service
 * ({@link ServiceReconciler}) reads what is wanted and what runs, and writes the difference through
 * the plan applier (starts) and compare-and-set transactions (stops, status). A pass may run twice
 * for the same state without harm, so a restart simply queues every service again.
 *
 * <p>All of it runs in the one control-plane process that owns the store today; when several
 * replicas share etcd, this is what the fenced leader runs.
 */
public final class ServiceController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceController.class);
    /**
     * Passes running at once (virtual threads); each mostly waits on the store or the plan applier,
     * two or three commits per pass. At 64, a thousand services created at once were bounded by
     * those waits (about 9,500 placements/s with the cores a third idle); at 256 the applier gets
     * bigger batches and the same burst is CPU-bound (BENCHMARKS.md, "Services at scale").
     */
    static final int WORKERS = 256;
    /**
     * The least time between two passes of one service: the first change after a quiet spell is
     * acted on at once, and the changes that follow (its tasks' reports arriving one by one) fold
     * into the next pass, so a burst costs one or two status writes, not one per task.
     */
    static final Duration MIN_INTERVAL = Duration.ofMillis(100);

    private final StateStore store;
    private final ServiceIndex index = new ServiceIndex();
    private final WorkQueue<ServiceRef> queue;
    private final ClusterFeed.Subscription subscription;

    public ServiceController(StateStore store, ClusterFeed feed, PlanApplier applier,
                             TaskDefinitionOperations definitions, Clock clock, RolloutSettings settings,
                             TaskRoleTrust roleTrust, ServiceTargets targets) {
        this.store = store;
        ServiceReconciler reconciler = new ServiceReconciler(store, index, applier, definitions, clock, settings,
                roleTrust, targets);
        this.queue = new WorkQueue<>("service-controller", WORKERS, MIN_INTERVAL, reconciler::reconcile);
        // Subscribed before the scan, so nothing that changes during it is missed; a record seen
        // both ways is applied once (the index keeps the newer).
        this.subscription = feed.subscribeAll(this::onEvents);
        bootstrap();
    }

    /** Services queued or being reconciled; 0 once the controller has caught up. */
    public int backlog() {
        return queue.backlog();
    }

    private void bootstrap() {
        StoreScan.forEach(store, EcsKey.Kind.INSTANCE, kv -> EcsKey.parse(kv.key())
                .ifPresent(k -> instance(k, InstanceSummary.decode(kv.value()), kv, kv.modRevision())));
        StoreScan.forEach(store, EcsKey.Kind.TASK_PROTECTION, kv -> EcsKey.parse(kv.key()).ifPresent(k -> protection(k, kv, false)));
        StoreScan.forEach(store, EcsKey.Kind.TASK, kv -> EcsKey.parse(kv.key()).ifPresent(k -> {
            TaskSummary t = Records.decode(kv.value(), TaskSummary.class);
            index.cluster(k.clusterRef()).putTask(kv.key(), t);
        }));
        int services = 0;
        Set<ServiceRef> all = new LinkedHashSet<>();
        StoreScan.forEach(store, EcsKey.Kind.SERVICE, kv -> EcsKey.parse(kv.key()).ifPresent(k -> {
            index.cluster(k.clusterRef()).putService(ServiceIndex.serviceHeader(kv.value()));
            all.add(new ServiceRef(k.scope(), k.cluster(), k.id()));
        }));
        for (ServiceRef ref : all) {
            queue.add(ref);
            services++;
        }
        if (services > 0) {
            LOG.info("service controller resumed {} service(s)", services);
        }
    }

    private void onEvents(List<FeedEvent> events) {
        Set<ServiceRef> touched = new LinkedHashSet<>();
        for (FeedEvent e : events) {
            EcsKey key = e.key();
            ServiceIndex.ClusterEntry cluster = index.cluster(key.clusterRef());
            switch (key.kind()) {
                case TASK -> task(key, e, cluster, touched);
                case SERVICE -> {
                    if (e.deleted()) {
                        cluster.removeService(key.id());
                    } else {
                        cluster.putService(ServiceIndex.serviceHeader(e.kv().value()));
                        touched.add(new ServiceRef(key.scope(), key.cluster(), key.id()));
                    }
                }
                case INSTANCE -> {
                    if (e.deleted()) {
                        continue;
                    }
                    InstanceSummary now = e.instance().orElseGet(() -> InstanceSummary.decode(e.kv().value()));
                    Optional<Optional<InstanceSummary>> before = instance(key, now, e.kv(), e.revision());
                    before.ifPresent(previous -> {
                        boolean changed = previous.isEmpty() || !previous.get().status().equals(now.status())
                                || previous.get().agentConnected() != now.agentConnected();
                        if (changed && PlatformPool.isPool(key.cluster())) {
                            waitingForPlatform(key.clusterRef(), touched);
                        } else if (changed) {
                            refs(key.clusterRef(), cluster.daemons(), touched);
                            refs(key.clusterRef(), cluster.servicesOn(now.containerInstanceArn()), touched);
                            refs(key.clusterRef(), cluster.waitingForCapacity(), touched);
                        }
                    });
                }
                case TASK_PROTECTION -> protection(key, e.kv(), e.deleted())
                        .ifPresent(service -> touched.add(new ServiceRef(key.scope(), key.cluster(), service)));
                case SERVICE_TRAFFIC -> {
                    // The controller's own writes come back here too: one more pass that finds nothing to do.
                    if (!e.deleted()) {
                        touched.add(new ServiceRef(key.scope(), key.cluster(), key.id()));
                    }
                }
                case CLUSTER -> {
                }
            }
        }
        touched.forEach(queue::add);
    }

    private void task(EcsKey key, FeedEvent e, ServiceIndex.ClusterEntry cluster, Set<ServiceRef> touched) {
        if (e.deleted()) {
            cluster.removeTask(e.storeKey());
            return;
        }
        TaskSummary t = e.task().orElseThrow();
        if (cluster.putTask(e.storeKey(), t)) {
            t.serviceName().ifPresent(s -> touched.add(new ServiceRef(key.scope(), key.cluster(), s)));
        }
        if (t.isStopped() && "FARGATE".equals(t.launchType())) {
            // Room came free on a platform host, which tasks of every cluster share.
            waitingForPlatform(key.clusterRef(), touched);
        } else if (t.isStopped()) {
            // Capacity came free: services that could not place a task may now.
            refs(key.clusterRef(), cluster.waitingForCapacity(), touched);
        }
    }

    /** The services of every cluster of the scope that wait for room: a platform host changed. */
    private void waitingForPlatform(ClusterRef changed, Set<ServiceRef> touched) {
        index.clustersIn(changed.scope()).forEach((ref, entry) -> refs(ref, entry.waitingForCapacity(), touched));
    }

    private Optional<Optional<InstanceSummary>> instance(EcsKey key, InstanceSummary header, KeyValue kv,
                                                        long revision) {
        if (header.containerInstanceArn() == null || header.status() == null) {
            return Optional.empty();
        }
        return index.cluster(key.clusterRef()).putInstance(new ServiceIndex.InstanceEntry(header, kv.value(), revision));
    }

    /** Keeps a task's protection; returns the task's service so it is looked at again. */
    private Optional<String> protection(EcsKey key, KeyValue kv, boolean deleted) {
        ServiceIndex.ClusterEntry cluster = index.cluster(key.clusterRef());
        if (deleted) {
            cluster.unprotect(key.id());
        } else {
            dev.stevedore.control.ecs.protection.TaskProtections.Stored p = Records.decode(kv.value(),
                    dev.stevedore.control.ecs.protection.TaskProtections.Stored.class);
            cluster.protect(key.id(), p.expirationDate());
        }
        String taskKey = EcsKeys.task(key.scope(), key.cluster(), key.id());
        return cluster.tasksServiceOf(taskKey);
    }

    private static void refs(ClusterRef cluster, java.util.Collection<String> services, Set<ServiceRef> into) {
        for (String s : services) {
            into.add(new ServiceRef(cluster.scope(), cluster.name(), s));
        }
    }

    @Override
    public void close() {
        subscription.close();
        queue.close();
    }
}
