package dev.stevedore.control.ecs.taskset;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.cluster.Clusters;
import dev.stevedore.control.ecs.service.ServiceStatus;
import dev.stevedore.control.ecs.service.Services;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.Scale;
import dev.stevedore.model.ecs.ScaleUnit;
import dev.stevedore.model.ecs.Service;
import dev.stevedore.model.ecs.TaskSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The checks the task set operations share: the service a call names (it must use the EXTERNAL
 * controller), how a task set is named (its id or its ARN), its scale, and ECS's errors for each.
 */
final class TaskSetRules {
    /** ECS's limit of task sets per service, which its message calls deployments. */
    static final int MAX_PER_SERVICE = 5;
    private static final Pattern ID = Pattern.compile("ecs-svc/[0-9]{1,19}");

    private TaskSetRules() {
    }

    /**
     * The service a {@code service} parameter names, read as a condition of the transaction: it must
     * exist (ServiceNotFoundException), be ACTIVE when {@code active} (ServiceNotActiveException) and
     * use the EXTERNAL deployment controller.
     */
    static Service service(StoreTx tx, EcsScope scope, String cluster, String service, boolean active) {
        Clusters.requireActive(tx, scope, cluster);
        Service s = Services.require(tx, scope, cluster, service);
        if (active && !ServiceStatus.ACTIVE.equals(s.status())) {
            throw Services.notActive();
        }
        if (!Services.isExternal(s)) {
            throw EcsErrors.invalidParameter("Amazon ECS only supports task set management on services configured "
                    + "to use external deployment controllers.");
        }
        return s;
    }

    /** Whether {@code idOrArn} has the form of a task set identifier: {@code ecs-svc/N} or a task-set ARN. */
    static boolean isIdentifier(String idOrArn) {
        return ID.matcher(idOrArn).matches() || Arns.parse(idOrArn)
                .filter(a -> "task-set".equals(a.resourceType()))
                .filter(a -> ID.matcher(lastTwoParts(a.resourceId())).matches())
                .isPresent();
    }

    static void checkIdentifier(String idOrArn) {
        if (!isIdentifier(idOrArn)) {
            throw EcsErrors.invalidParameter("Task Set Identifier is invalid");
        }
    }

    /** The service's task set that {@code idOrArn} names, if it has one. */
    static Optional<TaskSet> find(Service service, String idOrArn) {
        return Services.taskSets(service).stream()
                .filter(s -> s.id().equals(idOrArn) || s.taskSetArn().equals(idOrArn))
                .findFirst();
    }

    /** The named task set, which must be the service's. */
    static TaskSet require(Service service, String idOrArn) {
        checkIdentifier(idOrArn);
        return find(service, idOrArn).orElseThrow(TaskSetRules::notFound);
    }

    static AwsException notFound() {
        return EcsErrors.of("TaskSetNotFoundException", "The specified task set does not exist.");
    }

    /** The scale with ECS's defaults (0 %), checked: a percentage of the service's desired count. */
    static Scale scale(Scale given) {
        double value = given == null || given.value() == null ? 0.0 : given.value();
        if (!(value >= 0 && value <= 100)) {
            throw EcsErrors.invalidParameter("Scale value must be between 0 and 100.");
        }
        return new Scale(ScaleUnit.PERCENT, value);
    }

    static boolean isDraining(TaskSet set) {
        return ServiceStatus.DRAINING.equals(set.status());
    }

    /** The service's task sets with {@code changed} in place of the set of the same id. */
    static List<TaskSet> replace(Service service, TaskSet changed) {
        List<TaskSet> out = new ArrayList<>();
        for (TaskSet s : Services.taskSets(service)) {
            out.add(s.id().equals(changed.id()) ? changed : s);
        }
        return out;
    }

    private static String lastTwoParts(String path) {
        int last = path.lastIndexOf('/');
        int before = last <= 0 ? -1 : path.lastIndexOf('/', last - 1);
        return path.substring(before + 1);
    }
}
