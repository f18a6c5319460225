package dev.stevedore.control.ecs.service.controller;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.stevedore.control.ecs.feed.ClusterRef;
import dev.stevedore.control.ecs.feed.InstanceSummary;
import dev.stevedore.control.ecs.feed.TaskSummary;
import dev.stevedore.control.state.Records;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service controller's picture of each cluster, kept from the feed: the tasks of each service
 * (by their task group), the container instances, the tasks under scale-in protection, and which
 * services exist. Reconciles read it instead of the store, so a pass costs the work of one service
 * however large the cluster. The controller also puts the tasks it just created or stopped here
 * itself, so its next pass sees them even before the feed does; a record only ever replaces an
 * older one (by the task's own version), so the two ways in do not fight.
 *
 * <p>Thread-safe: each cluster's part is guarded by its own lock.
 */
final class ServiceIndex {

    /** The members of a stored service the feed routing needs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ServiceHeader(String serviceName, String status, String schedulingStrategy) {
    }

    /** An instance: its header, and its record undecoded until a daemon's constraints need it. */
    record InstanceEntry(InstanceSummary header, byte[] record, long modRevision) {
    }

    /** A task of a service with what the cluster says about it, read under one lock. */
    record TaskView(TaskSummary task, boolean onDrainingInstance, boolean protectedNow) {
    }

    /**
     * One cluster's part. Concurrent maps rather than one lock: the feed's thread writes while
     * dozens of passes read, each about its own service.
     */
    static final class ClusterEntry {
        private final Map<String, Map<String, TaskSummary>> tasksByService = new ConcurrentHashMap<>();
        private final Map<String, String> serviceOfTask = new ConcurrentHashMap<>();
        private final Map<String, InstanceEntry> instances = new ConcurrentHashMap<>();
        private final Map<String, Instant> protections = new ConcurrentHashMap<>();
        private final Set<String> services = ConcurrentHashMap.newKeySet();
        private final Set<String> daemons = ConcurrentHashMap.newKeySet();
        /** Services that could not place a task: a change of capacity is worth a new try. */
        private final Set<String> waitingForCapacity = ConcurrentHashMap.newKeySet();

        /** Records a task; false when the index already has this or a newer version of it. */
        boolean putTask(String key, TaskSummary task) {
            Optional<String> service = task.serviceName();
            if (service.isEmpty()) {
                return false;
            }
            Map<String, TaskSummary> tasks = tasksByService.computeIfAbsent(service.get(), k -> new ConcurrentHashMap<>());
            boolean[] changed = new boolean[1];
            tasks.compute(key, (k, before) -> {
                if (before != null && before.versionOrZero() > task.versionOrZero()) {
                    return before;
                }
                changed[0] = !task.equals(before);
                return task;
            });
            serviceOfTask.put(key, service.get());
            return changed[0];
        }

        Optional<String> removeTask(String key) {
            String service = serviceOfTask.remove(key);
            if (service != null) {
                Map<String, TaskSummary> tasks = tasksByService.get(service);
                if (tasks != null) {
                    tasks.remove(key);
                }
            }
            return Optional.ofNullable(service);
        }

        Optional<String> tasksServiceOf(String key) {
            return Optional.ofNullable(serviceOfTask.get(key));
        }

        /** The service's tasks, each with whether its instance is draining (or gone) and whether it is protected. */
        List<TaskView> serviceTasks(String service, Instant now) {
            Map<String, TaskSummary> tasks = tasksByService.getOrDefault(service, Map.of());
            List<TaskView> out = new ArrayList<>(tasks.size());
            for (TaskSummary t : tasks.values()) {
                InstanceEntry instance = t.containerInstanceArn() == null ? null : instances.get(t.containerInstanceArn());
                boolean draining = instance != null && !"ACTIVE".equals(instance.header().status());
                Instant until = protections.isEmpty() ? null : protections.get(t.id());
                out.add(new TaskView(t, draining, until != null && until.isAfter(now)));
            }
            return out;
        }

        List<TaskSummary> tasksOf(String service) {
            return List.copyOf(tasksByService.getOrDefault(service, Map.of()).values());
        }

        /** Services with a task not yet stopped on the instance. */
        Set<String> servicesOn(String instanceArn) {
            Set<String> out = new HashSet<>();
            tasksByService.forEach((service, tasks) -> {
                for (TaskSummary t : tasks.values()) {
                    if (instanceArn.equals(t.containerInstanceArn()) && !t.isStopped()) {
                        out.add(service);
                        break;
                    }
                }
            });
            return out;
        }

        /** Records an instance; returns its previous header when the record is newer than the one held. */
        Optional<Optional<InstanceSummary>> putInstance(InstanceEntry entry) {
            Object[] previous = new Object[1];
            boolean[] newer = new boolean[1];
            instances.compute(entry.header().containerInstanceArn(), (k, before) -> {
                if (before != null && before.modRevision() >= entry.modRevision()) {
                    return before;
                }
                previous[0] = before;
                newer[0] = true;
                return entry;
            });
            if (!newer[0]) {
                return Optional.empty();
            }
            return Optional.of(Optional.ofNullable((InstanceEntry) previous[0]).map(InstanceEntry::header));
        }

        void removeInstance(String arn) {
            instances.remove(arn);
        }

        List<InstanceEntry> instances() {
            return new ArrayList<>(instances.values());
        }

        Optional<InstanceSummary> instance(String arn) {
            return Optional.ofNullable(instances.get(arn)).map(InstanceEntry::header);
        }

        void protect(String taskId, Instant until) {
            protections.put(taskId, until);
        }

        void unprotect(String taskId) {
            protections.remove(taskId);
        }

        boolean isProtected(String taskId, Instant now) {
            Instant until = protections.get(taskId);
            return until != null && until.isAfter(now);
        }

        /** When the first protection among {@code taskIds} that still holds at {@code now} runs out. */
        Optional<Instant> protectionEnds(List<String> taskIds, Instant now) {
            if (protections.isEmpty()) {
                return Optional.empty();
            }
            return taskIds.stream().map(protections::get).filter(t -> t != null && t.isAfter(now))
                    .min(java.util.Comparator.naturalOrder());
        }

        void putService(ServiceHeader header) {
            services.add(header.serviceName());
            if ("DAEMON".equals(header.schedulingStrategy())) {
                daemons.add(header.serviceName());
            } else {
                daemons.remove(header.serviceName());
            }
        }

        void removeService(String name) {
            services.remove(name);
            daemons.remove(name);
            waitingForCapacity.remove(name);
        }

        List<String> services() {
            return List.copyOf(services);
        }

        List<String> daemons() {
            return List.copyOf(daemons);
        }

        void waitForCapacity(String service, boolean waiting) {
            if (waiting) {
                waitingForCapacity.add(service);
            } else {
                waitingForCapacity.remove(service);
            }
        }

        List<String> waitingForCapacity() {
            return List.copyOf(waitingForCapacity);
        }
    }

    private final ConcurrentHashMap<ClusterRef, ClusterEntry> clusters = new ConcurrentHashMap<>();

    ClusterEntry cluster(ClusterRef ref) {
        return clusters.computeIfAbsent(ref, k -> new ClusterEntry());
    }

    /** Every cluster of the scope the index knows, with its part. */
    Map<ClusterRef, ClusterEntry> clustersIn(dev.stevedore.control.ecs.EcsScope scope) {
        Map<ClusterRef, ClusterEntry> out = new HashMap<>();
        clusters.forEach((ref, entry) -> {
            if (ref.scope().equals(scope)) {
                out.put(ref, entry);
            }
        });
        return out;
    }

    static ServiceHeader serviceHeader(byte[] json) {
        return Records.decode(json, ServiceHeader.class);
    }
}
