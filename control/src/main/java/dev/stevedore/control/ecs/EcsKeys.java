package dev.stevedore.control.ecs;

/**
 * Where each ECS record lives in the store. Keys sort the way listings want them: task definition
 * revisions are zero-padded so that key order is revision order.
 */
public final class EcsKeys {
    private EcsKeys() {
    }

    public static String clusters(EcsScope s) {
        return s.keyPrefix() + "clusters/";
    }

    public static String cluster(EcsScope s, String name) {
        return clusters(s) + name;
    }

    public static String taskDefinitions(EcsScope s) {
        return s.keyPrefix() + "taskdefs/";
    }

    public static String taskDefinitionFamily(EcsScope s, String family) {
        return taskDefinitions(s) + family + "/";
    }

    public static String taskDefinition(EcsScope s, String family, int revision) {
        return taskDefinitionFamily(s, family) + String.format("%010d", revision);
    }

    /** The last revision ever given in a family; kept after its revisions are deleted so none is reused. */
    public static String familyCounter(EcsScope s, String family) {
        return s.keyPrefix() + "taskdef-families/" + family;
    }

    public static String familyCounters(EcsScope s) {
        return s.keyPrefix() + "taskdef-families/";
    }

    public static String tags(EcsScope s, String arn) {
        return s.keyPrefix() + "tags/" + arn;
    }

    public static String accountSettings(EcsScope s, String principalArn) {
        return s.keyPrefix() + "account-settings/" + principalArn + "/";
    }

    public static String accountSetting(EcsScope s, String principalArn, String name) {
        return accountSettings(s, principalArn) + name;
    }

    /** Every cluster's container instances in the scope. */
    public static String allContainerInstances(EcsScope s) {
        return s.keyPrefix() + "container-instances/";
    }

    public static String containerInstances(EcsScope s, String cluster) {
        return allContainerInstances(s) + cluster + "/";
    }

    /** Every cluster's tasks in the scope. */
    public static String allTasks(EcsScope s) {
        return s.keyPrefix() + "tasks/";
    }

    public static String tasks(EcsScope s, String cluster) {
        return s.keyPrefix() + "tasks/" + cluster + "/";
    }

    public static String containerInstance(EcsScope s, String cluster, String id) {
        return containerInstances(s, cluster) + id;
    }

    /** Which container instance of a cluster an EC2 instance id registered as, so re-registration finds it. */
    public static String ec2InstanceIndex(EcsScope s, String cluster, String ec2InstanceId) {
        return s.keyPrefix() + "ec2-instances/" + cluster + "/" + ec2InstanceId;
    }

    public static String task(EcsScope s, String cluster, String id) {
        return tasks(s, cluster) + id;
    }

    /** A RunTask clientToken already answered, so a retried call gets the same tasks. */
    public static String runTaskToken(EcsScope s, String cluster, String token) {
        return s.keyPrefix() + "run-task-tokens/" + cluster + "/" + token;
    }

    public static String services(EcsScope s, String cluster) {
        return s.keyPrefix() + "services/" + cluster + "/";
    }

    public static String service(EcsScope s, String cluster, String name) {
        return services(s, cluster) + name;
    }

    /** A service's latest events, newest first; only the controller writes them. */
    /** A traffic-shifting service's target group roles and the shift under way. */
    public static String serviceTraffic(EcsScope s, String cluster, String name) {
        return s.keyPrefix() + "service-traffic/" + cluster + "/" + name;
    }

    public static String serviceEvents(EcsScope s, String cluster, String name) {
        return s.keyPrefix() + "service-events/" + cluster + "/" + name;
    }

    /** A CreateService clientToken already answered, so a retried call gets the same service. */
    public static String createServiceToken(EcsScope s, String cluster, String token) {
        return s.keyPrefix() + "create-service-tokens/" + cluster + "/" + token;
    }

    /** A CreateTaskSet clientToken already answered, so a retried call gets the same task set. */
    public static String createTaskSetToken(EcsScope s, String cluster, String service, String token) {
        return s.keyPrefix() + "create-task-set-tokens/" + cluster + "/" + service + "/" + token;
    }

    /** Every deployment of a service, as the deployment history API lists them. */
    public static String serviceDeployments(EcsScope s, String cluster, String service) {
        return s.keyPrefix() + "service-deployments/" + cluster + "/" + service + "/";
    }

    public static String serviceDeployment(EcsScope s, String cluster, String service, String id) {
        return serviceDeployments(s, cluster, service) + id;
    }

    /** Every revision (configuration snapshot) of a service. */
    public static String serviceRevisions(EcsScope s, String cluster, String service) {
        return s.keyPrefix() + "service-revisions/" + cluster + "/" + service + "/";
    }

    public static String serviceRevision(EcsScope s, String cluster, String service, String id) {
        return serviceRevisions(s, cluster, service) + id;
    }

    /** The load balancer targets a service registered for one of its tasks, until they are deregistered and the task stopped. */
    public static String taskTargets(EcsScope s, String cluster, String service, String taskId) {
        return serviceTaskTargets(s, cluster, service) + taskId;
    }

    public static String serviceTaskTargets(EcsScope s, String cluster, String service) {
        return s.keyPrefix() + "task-targets/" + cluster + "/" + service + "/";
    }

    /** A task's scale-in protection; absent when the task is not protected. */
    public static String taskProtection(EcsScope s, String cluster, String taskId) {
        return s.keyPrefix() + "task-protection/" + cluster + "/" + taskId;
    }

    /** Which task an attachment (an awsvpc task's network interface) belongs to, by attachment id. */
    public static String attachment(EcsScope s, String attachmentId) {
        return s.keyPrefix() + "attachments/" + attachmentId;
    }
}
