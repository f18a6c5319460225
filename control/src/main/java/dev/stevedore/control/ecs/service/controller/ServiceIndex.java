package dev.stevedore.control.ecs.service.controller;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.stevedore.control.ecs.feed.ClusterRef;
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

    /** The members of a stored container instance the controller decides on. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record InstanceHeader(String containerInstanceArn, String status, Boolean agentConnected, Long version) {
        boolean connected() {
            return Boolean.TRUE.equals(agentConnected);
        }
    }

    /** The members of a stored service the feed routing needs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ServiceHeader(String serviceName, String status, String schedulingStrategy) {
    }

    /** An instance: its header, and its record undecoded until a daemon's constraints need it. */
    record InstanceEntry(InstanceHeader header, byte[] record, long modRevision) {
    }

    static final class ClusterEntry {
        private final Map<String, Map<String, TaskSummary>> tasksByService = new HashMap<>();
        private final Map<String, String> serviceOfTask = new HashMap<>();
        private final Map<String, InstanceEntry> instances = new HashMap<>();
        private final Map<String, Instant> protections = new HashMap<>();
        private final Set<String> services = new LinkedHashSet<>();
        private final Set<String> daemons = new HashSet<>();
        /** Services that could not place a task: a change of capacity is worth a new try. */
        private final Set<String> waitingForCapacity = new HashSet<>();
        /** The newest store revision among the changes of the cluster this index has taken in. */
        private long revision;

        synchronized void seen(long storeRevision) {
            revision = Math.max(revision, storeRevision);
        }

        /** What a pass decides on is at least this new; the plan applier is asked for a view as new. */
        synchronized long revision() {
            return revision;
        }

        /** Records a task; false when the index already has a newer version of it. */
        synchronized boolean putTask(String key, TaskSummary task) {
            Optional<String> service = task.serviceName();
            if (service.isEmpty()) {
                return false;
            }
            Map<String, TaskSummary> tasks = tasksByService.computeIfAbsent(service.get(), k -> new HashMap<>());
            TaskSummary before = tasks.get(key);
            if (before != null && before.versionOrZero() > task.versionOrZero()) {
                return false;
            }
            tasks.put(key, task);
            serviceOfTask.put(key, service.get());
            return true;
        }

        synchronized Optional<String> removeTask(String key) {
            String service = serviceOfTask.remove(key);
            if (service != null) {
                Map<String, TaskSummary> tasks = tasksByService.get(service);
                if (tasks != null) {
                    tasks.remove(key);
                }
            }
            return Optional.ofNullable(service);
        }

        synchronized Optional<String> tasksServiceOf(String key) {
            return Optional.ofNullable(serviceOfTask.get(key));
        }

        synchronized List<TaskSummary> tasksOf(String service) {
            return List.copyOf(tasksByService.getOrDefault(service, Map.of()).values());
        }

        /** Services with a task not yet stopped on the instance. */
        synchronized Set<String> servicesOn(String instanceArn) {
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
        synchronized Optional<Optional<InstanceHeader>> putInstance(InstanceEntry entry) {
            InstanceEntry before = instances.get(entry.header().containerInstanceArn());
            if (before != null && before.modRevision() >= entry.modRevision()) {
                return Optional.empty();
            }
            instances.put(entry.header().containerInstanceArn(), entry);
            return Optional.of(Optional.ofNullable(before).map(InstanceEntry::header));
        }

        synchronized void removeInstance(String arn) {
            instances.remove(arn);
        }

        synchronized List<InstanceEntry> instances() {
            return new ArrayList<>(instances.values());
        }

        synchronized Optional<InstanceHeader> instance(String arn) {
            return Optional.ofNullable(instances.get(arn)).map(InstanceEntry::header);
        }

        synchronized void protect(String taskId, Instant until) {
            protections.put(taskId, until);
        }

        synchronized void unprotect(String taskId) {
            protections.remove(taskId);
        }

        synchronized boolean isProtected(String taskId, Instant now) {
            Instant until = protections.get(taskId);
            return until != null && until.isAfter(now);
        }

        synchronized void putService(ServiceHeader header) {
            services.add(header.serviceName());
            if ("DAEMON".equals(header.schedulingStrategy())) {
                daemons.add(header.serviceName());
            } else {
                daemons.remove(header.serviceName());
            }
        }

        synchronized void removeService(String name) {
            services.remove(name);
            daemons.remove(name);
            waitingForCapacity.remove(name);
        }

        synchronized List<String> services() {
            return List.copyOf(services);
        }

        synchronized List<String> daemons() {
            return List.copyOf(daemons);
        }

        synchronized void waitForCapacity(String service, boolean waiting) {
            if (waiting) {
                waitingForCapacity.add(service);
            } else {
                waitingForCapacity.remove(service);
            }
        }

        synchronized List<String> waitingForCapacity() {
            return List.copyOf(waitingForCapacity);
        }
    }

    private final ConcurrentHashMap<ClusterRef, ClusterEntry> clusters = new ConcurrentHashMap<>();

    ClusterEntry cluster(ClusterRef ref) {
        return clusters.computeIfAbsent(ref, k -> new ClusterEntry());
    }

    static InstanceHeader instanceHeader(byte[] json) {
        return Records.decode(json, InstanceHeader.class);
    }

    static ServiceHeader serviceHeader(byte[] json) {
        return Records.decode(json, ServiceHeader.class);
    }
}
