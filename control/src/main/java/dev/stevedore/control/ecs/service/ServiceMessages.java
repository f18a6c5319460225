package dev.stevedore.control.ecs.service;

import java.util.List;

/**
 * The wording of ECS's service events and deployment reasons, taken from real DescribeServices
 * output (see /work/notes in the project history and the developer guide's event list).
 */
public final class ServiceMessages {
    static final String STEADY_SUFFIX = " has reached a steady state.";
    private static final String TROUBLESHOOTING =
            " For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.";

    private ServiceMessages() {
    }

    public static String steady(String service) {
        return prefix(service) + STEADY_SUFFIX;
    }

    public static String started(String service, List<String> taskIds) {
        return prefix(service) + " has started " + taskIds.size() + " tasks:" + taskList(taskIds) + ".";
    }

    /** Started tasks that replace unhealthy ones: ECS appends how many it replaced. */
    public static String startedReplacingUnhealthy(String service, List<String> taskIds, int replaced) {
        return started(service, taskIds) + " Amazon ECS replaced " + replaced + " tasks due to an unhealthy status.";
    }

    public static String stoppedRunning(String service, List<String> taskIds) {
        return prefix(service) + " has stopped " + taskIds.size() + " running tasks:" + taskList(taskIds) + ".";
    }

    public static String stoppedPending(String service, int count) {
        return prefix(service) + " stopped " + count + " pending tasks.";
    }

    public static String failedHealthChecks(String service, String taskId) {
        return prefix(service) + " (task " + taskId + ") failed container health checks.";
    }

    /**
     * A target group reports a task's target unhealthy: ECS names the instance for an instance target
     * (a task on EC2) and leaves it out for an ip target.
     */
    public static String unhealthyInTargetGroup(String service, String taskId, java.util.Optional<String> instanceId,
                                                int port, String targetGroupName, String reason) {
        return prefix(service) + " (task " + taskId + ")" + instanceId.map(i -> " (instance " + i + ")").orElse("")
                + " (port " + port + ") is unhealthy in (target-group " + targetGroupName + ") due to (reason "
                + reason + ").";
    }

    public static String registeredTargets(String service, int count, String targetGroupArn) {
        return prefix(service) + " registered " + count + " targets in (target-group " + targetGroupArn + ")";
    }

    public static String deregisteredTargets(String service, int count, String targetGroupArn) {
        return prefix(service) + " deregistered " + count + " targets in (target-group " + targetGroupArn + ")";
    }

    /** A traffic-shifting deployment moved production traffic: green's share now. */
    public static String shiftedProductionTraffic(String service, String deploymentId, double greenPercent) {
        return prefix(service) + " shifted " + percent(greenPercent) + "% of production traffic to deployment "
                + deploymentId + ".";
    }

    public static String shiftedTestTraffic(String service, String deploymentId) {
        return prefix(service) + " shifted test traffic to deployment " + deploymentId + ".";
    }

    /** A shift given up (a rollback, or a newer deployment): production traffic is back on the blue tasks. */
    public static String restoredProductionTraffic(String service, String deploymentId) {
        return prefix(service) + " moved production traffic back from deployment " + deploymentId + ".";
    }

    /** Why a deployment rolled back when a PAUSE hook's timeout says ROLLBACK (our wording; no ECS source found). */
    public static final String HOOK_TIMED_OUT = "ECS deployment stopped: a lifecycle hook timed out.";

    /** A PAUSE hook's timeout rolled the deployment back. */
    public static String hookTimedOutRollingBack(String service, String deploymentId) {
        return prefix(service) + " lifecycle hook of deployment " + deploymentId + " timed out: rolling back.";
    }

    /** A PAUSE hook's timeout asked for a rollback that cannot be made. */
    public static String hookRollbackRefused(String service, String deploymentId, String why) {
        return prefix(service) + " lifecycle hook of deployment " + deploymentId + " timed out, and the deployment "
                + "could not be rolled back: " + why;
    }

    private static String percent(double p) {
        return p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p);
    }

    public static String drainingConnections(String service, int tasks) {
        return prefix(service) + " has begun draining connections on " + tasks + " tasks.";
    }

    public static String deploymentCompleted(String service, String deploymentId) {
        return prefix(service) + " (deployment " + deploymentId + ") deployment completed.";
    }

    public static String deploymentFailed(String service, String deploymentId) {
        return prefix(service) + " (deployment " + deploymentId + ") deployment failed: tasks failed to start.";
    }

    public static String rollingBack(String service, String toDeploymentId) {
        return prefix(service) + " rolling back to deployment " + toDeploymentId + ".";
    }

    public static String unableToConsistentlyStart(String service) {
        return prefix(service) + " is unable to consistently start tasks successfully.";
    }

    public static String blockedByDeploymentConfiguration(String service) {
        return prefix(service) + " was unable to stop or start tasks during a deployment because of the service "
                + "deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.";
    }

    /**
     * No instance could take a task; {@code closest} is ECS's sentence about the closest match (or
     * the reason), {@code detail} what Stevedore adds after ECS's text: the placement engine's
     * account of every instance it ruled out, and why.
     */
    public static String unableToPlace(String service, String closest, String detail) {
        return prefix(service) + " was unable to place a task because no container instance met all of its "
                + "requirements." + closest + TROUBLESHOOTING + detail;
    }

    /** No task could be placed for a reason ECS gives as it is (Fargate has no capacity). */
    public static String unableToPlaceFor(String service, String reason) {
        return prefix(service) + " was unable to place a task. Reason: " + reason + (reason.endsWith(".") ? "" : ".");
    }

    /** A task was made but could not start: its stopped reason, as ECS's event quotes the error. */
    public static String failedToLaunch(String service, String error) {
        return prefix(service) + " failed to launch a task with (error " + error + ").";
    }

    public static String protectedTasksBlockScaleIn(String service, String deploymentId, int protectedCount) {
        return prefix(service) + " was unable to reach steady state because (taskSet " + deploymentId
                + ") was unable to scale in due to (reason " + protectedCount + " tasks under protection)";
    }

    // ---- deployment rollout reasons ----

    public static String rolloutInProgress(String deploymentId) {
        return "ECS deployment " + deploymentId + " in progress.";
    }

    public static String rolloutCompleted(String deploymentId) {
        return "ECS deployment " + deploymentId + " completed.";
    }

    public static final String ROLLOUT_FAILED = "ECS deployment circuit breaker: tasks failed to start.";

    public static String rolloutRollingBack(String toDeploymentId) {
        return "ECS deployment circuit breaker: rolling back to deploymentId " + toDeploymentId + ".";
    }

    // ---- why the scheduler stopped a task ----

    public static String scalingActivity(String deploymentId) {
        return "Scaling activity initiated by (deployment " + deploymentId + ")";
    }

    public static final String FAILED_CONTAINER_HEALTH_CHECKS = "Task failed container health checks";

    static final String FAILED_ELB_HEALTH_CHECKS = "Task failed ELB health checks in ";

    /** The stoppedReason of a task a target group reported unhealthy. */
    public static String failedElbHealthChecks(String targetGroupArn) {
        return FAILED_ELB_HEALTH_CHECKS + "(target-group " + targetGroupArn + ")";
    }

    /** Whether a task was stopped by its service for failing health checks, its containers' or a load balancer's. */
    public static boolean failedHealthChecksReason(String stoppedReason) {
        return FAILED_CONTAINER_HEALTH_CHECKS.equals(stoppedReason)
                || (stoppedReason != null && stoppedReason.startsWith(FAILED_ELB_HEALTH_CHECKS));
    }

    private static String prefix(String service) {
        return "(service " + service + ")";
    }

    private static String taskList(List<String> taskIds) {
        StringBuilder b = new StringBuilder();
        for (String id : taskIds) {
            b.append(" (task ").append(id).append(')');
        }
        return b.toString();
    }
}
