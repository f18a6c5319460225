package dev.stevedore.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.stevedore.e2e.ServiceCluster.eventually;
import static dev.stevedore.e2e.ServiceCluster.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Services end to end: a real server process, three real agent processes in three zones and real
 * containers, driven by the AWS SDK and the AWS CLI (its waiters included). Scaling, a rolling
 * update sampled while it runs, the circuit breaker rolling back a revision whose containers crash,
 * and a container killed behind the agent's back. A task counts as healthy 2 seconds after it runs
 * ({@code --task-healthy-after 2}; ECS waits 40).
 */
@UsesDockerEngine
class ServicesOnDockerIT extends OnServiceCluster {
    ServicesOnDockerIT() {
        super("services", "--task-healthy-after", "2");
    }

    @Test
    void theCliWaitsForAServiceThatTheSdkScalesThroughRealContainersAndDeletes() {
        String td = cluster.register("scale", "sleep", "3600");
        AwsCli aws = cluster.aws;
        JsonNode created = aws.ok("ecs", "create-service", "--cluster", cluster.name, "--service-name", "scale",
                "--task-definition", "scale", "--desired-count", "2");
        assertThat(created.at("/service/status").asText()).isEqualTo("ACTIVE");
        assertThat(created.at("/service/deployments/0/rolloutState").asText()).isEqualTo("IN_PROGRESS");
        aws.ok("ecs", "wait", "services-stable", "--cluster", cluster.name, "--services", "scale");
        assertThat(cluster.service("scale").runningCount()).isEqualTo(2);
        assertThat(cluster.containers("scale")).hasSize(2);

        Set<String> stopped = new HashSet<>();
        int previous = 2;
        for (int n : new int[] {0, 5, 2, 0}) {
            Set<String> before = taskIds(cluster.tasks("scale", DesiredStatus.RUNNING));
            cluster.ecs.updateService(b -> b.cluster(cluster.name).service("scale").desiredCount(n));
            eventually("scale to " + n, () -> cluster.settledOn("scale", td, n)
                    && cluster.tasks("scale", DesiredStatus.STOPPED).stream().allMatch(t -> t.lastStatus().equals("STOPPED")));
            Set<String> after = taskIds(cluster.tasks("scale", DesiredStatus.RUNNING));
            List<String> started = cluster.taskIdsInEvents("scale", "has started");
            List<String> stoppedInEvents = cluster.taskIdsInEvents("scale", "has stopped");
            // Every task that came is named in a "has started" event, every task that went in a "has stopped" one.
            after.stream().filter(t -> !before.contains(t)).forEach(t -> assertThat(started).contains(t));
            before.stream().filter(t -> !after.contains(t)).forEach(t -> {
                assertThat(stoppedInEvents).contains(t);
                stopped.add(t);
            });
            if (n > previous) {
                assertThat(before).as("scaling out to %d keeps the tasks there were", n).isSubsetOf(after);
            } else {
                assertThat(after).as("scaling in to %d starts no task", n).isSubsetOf(before);
            }
            previous = n;
        }
        assertThat(stopped).hasSize(7);
        assertThat(cluster.events("scale").getFirst()).isEqualTo("(service scale) has reached a steady state.");
        for (Task t : cluster.tasks("scale", DesiredStatus.STOPPED)) {
            assertThat(t.lastStatus()).isEqualTo("STOPPED");
            assertThat(t.stopCodeAsString()).isEqualTo("ServiceSchedulerInitiated");
            assertThat(t.stoppedReason()).startsWith("Scaling activity initiated by (deployment ecs-svc/");
        }
        assertThat(cluster.containers("scale")).isEmpty();

        JsonNode deleted = aws.ok("ecs", "delete-service", "--cluster", cluster.name, "--service", "scale", "--force");
        assertThat(deleted.at("/service/status").asText()).isEqualTo("DRAINING");
        aws.ok("ecs", "wait", "services-inactive", "--cluster", cluster.name, "--services", "scale");
        assertThat(cluster.service("scale").status()).isEqualTo("INACTIVE");
        assertThat(aws.ok("ecs", "list-services", "--cluster", cluster.name).get("serviceArns").toString())
                .doesNotContain("service/" + cluster.name + "/scale\"");
    }

    private static Set<String> taskIds(List<Task> tasks) {
        Set<String> ids = new HashSet<>();
        tasks.forEach(t -> ids.add(id(t.taskArn())));
        return ids;
    }

    @Test
    void aRollingUpdateStaysWithinMinimumHealthyAndMaximumPercentAsItHappens() throws Exception {
        String v1 = cluster.register("roll", "sleep", "3600");
        String v2 = cluster.register("roll", "sleep", "3601");
        cluster.createSettled("roll", v1, 4, 50, 150);

        RolloutSampler sampler = RolloutSampler.start(cluster, "roll", 2, 6);
        Service updated;
        try {
            updated = cluster.ecs.updateService(b -> b.cluster(cluster.name).service("roll").taskDefinition(v2))
                    .service();
            eventually("4 tasks of revision 2", () -> cluster.settledOn("roll", v2, 4));
        } finally {
            sampler.stop();
        }
        assertThat(updated.deployments()).hasSize(2);
        assertThat(updated.deployments().get(0).status()).isEqualTo("PRIMARY");
        assertThat(updated.deployments().get(0).taskDefinition()).isEqualTo(v2);
        assertThat(updated.deployments().get(1).status()).isEqualTo("ACTIVE");
        assertThat(updated.deployments().get(1).taskDefinition()).isEqualTo(v1);

        System.out.println("rolling update observed: " + sampler);
        assertThat(sampler.violations()).isEmpty();
        assertThat(sampler.samples()).as("samples taken during the rollout").isGreaterThanOrEqualTo(10);
        assertThat(sampler.maxWanted()).as("the rollout used the room above 100%").isGreaterThan(4);
        assertThat(sampler.sawBothRevisionsRunning()).as("old and new tasks ran side by side").isTrue();

        Service done = cluster.service("roll");
        assertThat(done.deployments()).hasSize(1);
        assertThat(done.deployments().getFirst().id()).isEqualTo(updated.deployments().getFirst().id());
        assertThat(done.deployments().getFirst().rolloutStateAsString()).isEqualTo("COMPLETED");
        assertThat(cluster.containers("roll")).hasSize(4).allSatisfy(c -> assertThat(c.revision()).isEqualTo(2));
        assertThat(cluster.events("roll")).contains(
                "(service roll) (deployment " + done.deployments().getFirst().id() + ") deployment completed.");
    }

    @Test
    void theServiceIsStableOnlyOnceTheContainersOfTheTasksItReplacedHaveStopped() {
        // Told to stop, the old containers run on for their stop timeout: 5 seconds.
        String v1 = cluster.register("slowstop", 5, "sleep", "3600");
        String v2 = cluster.register("slowstop", 5, "sleep", "3601");
        cluster.createSettled("slowstop", v1, 2, 100, 200);
        cluster.ecs.updateService(b -> b.cluster(cluster.name).service("slowstop").taskDefinition(v2));
        // What the waiter services-stable checks: one deployment, and as many running as desired.
        eventually("stable by the waiter's rule", () -> {
            Service s = cluster.service("slowstop");
            return s.deployments().size() == 1 && s.runningCount().equals(s.desiredCount());
        });
        assertThat(cluster.containers("slowstop")).as("containers running once the service is stable")
                .extracting(Docker.Running::revision).containsExactly(2, 2);
        assertThat(cluster.tasks("slowstop", DesiredStatus.STOPPED)).extracting(Task::lastStatus)
                .containsExactly("STOPPED", "STOPPED");
    }

    @Test
    void theCircuitBreakerRollsBackARevisionWhoseContainersCrashSoonAfterStarting() {
        String good = cluster.register("breaker", "sleep", "3600");
        // Exits after a second: it runs, but never long enough to count as healthy (2 s).
        String crashing = cluster.register("breaker", "sh", "-c", "sleep 1; exit 1");
        cluster.ecs.createService(b -> b.cluster(cluster.name).serviceName("breaker").taskDefinition(good)
                .desiredCount(2).deploymentConfiguration(c -> c.deploymentCircuitBreaker(cb -> cb.enable(true).rollback(true))));
        eventually("2 good tasks", () -> cluster.settledOn("breaker", good, 2));
        String goodDeployment = cluster.service("breaker").deployments().getFirst().id();

        String badDeployment = cluster.ecs.updateService(b -> b.cluster(cluster.name).service("breaker")
                .taskDefinition(crashing)).service().deployments().getFirst().id();
        eventually("rolled back to the good revision", () -> cluster.settledOn("breaker", good, 2)
                && cluster.service("breaker").deployments().getFirst().id().equals(goodDeployment));

        Service s = cluster.service("breaker");
        assertThat(s.taskDefinition()).isEqualTo(good);
        List<String> events = cluster.events("breaker");
        String failed = "(service breaker) (deployment " + badDeployment + ") deployment failed: tasks failed to start.";
        String rollingBack = "(service breaker) rolling back to deployment " + goodDeployment + ".";
        assertThat(events).contains(failed, rollingBack);
        assertThat(events.indexOf(rollingBack)).as("newest first: the rollback follows the failure")
                .isLessThan(events.indexOf(failed));
        // Three crashed (the threshold for a desired count of 2); any still running at the rollback were stopped.
        List<Task> crashed = cluster.tasks("breaker", DesiredStatus.STOPPED).stream()
                .filter(t -> t.taskDefinitionArn().equals(crashing))
                .filter(t -> !t.stopCodeAsString().equals("ServiceSchedulerInitiated")).toList();
        assertThat(crashed).hasSizeGreaterThanOrEqualTo(3);
        assertThat(crashed).extracting(Task::stopCodeAsString).containsOnly("EssentialContainerExited");
        assertThat(crashed).extracting(t -> t.containers().getFirst().exitCode()).containsOnly(1);
        assertThat(cluster.containers("breaker")).hasSize(2).allSatisfy(c -> assertThat(c.revision()).isEqualTo(1));
    }

    @Test
    void aContainerKilledBehindTheAgentsBackIsReplaced() {
        String td = cluster.register("victim", "sleep", "3600");
        cluster.ecs.createService(b -> b.cluster(cluster.name).serviceName("victim").taskDefinition(td).desiredCount(2));
        eventually("2 tasks", () -> cluster.settledOn("victim", td, 2));
        List<Task> before = cluster.tasks("victim", DesiredStatus.RUNNING);
        Task victim = before.getFirst();
        String containerId = victim.containers().getFirst().runtimeId();
        assertThat(Docker.run("kill", containerId).trim()).isEqualTo(containerId);

        eventually("the killed task stopped", () -> cluster.task(victim.taskArn()).lastStatus().equals("STOPPED"));
        Task stopped = cluster.task(victim.taskArn());
        assertThat(stopped.stopCodeAsString()).isEqualTo("EssentialContainerExited");
        assertThat(stopped.containers().getFirst().exitCode()).isEqualTo(137);
        eventually("a replacement runs", () -> cluster.settledOn("victim", td, 2));
        Set<String> replacements = taskIds(cluster.tasks("victim", DesiredStatus.RUNNING));
        replacements.removeAll(taskIds(before));
        assertThat(replacements).hasSize(1);
        String replacement = replacements.iterator().next();
        assertThat(cluster.taskIdsInEvents("victim", "has started")).contains(replacement);
        assertThat(cluster.containers("victim")).extracting(c -> id(c.taskArn()))
                .contains(replacement).doesNotContain(id(victim.taskArn()));
        assertThat(Docker.isRunning(containerId)).isFalse();
    }

    @Test
    void theCliShowsServicesInTheShapesItKnows() {
        String td = cluster.register("shapes", "sleep", "3600");
        AwsCli aws = cluster.aws;
        String arn = "arn:aws:ecs:" + InProcessStevedore.REGION + ":" + InProcessStevedore.ACCOUNT + ":service/"
                + cluster.name + "/shapes";
        aws.ok("ecs", "create-service", "--cluster", cluster.name, "--service-name", "shapes",
                "--task-definition", "shapes", "--desired-count", "1", "--tags", "key=team,value=web",
                "--placement-strategy", "type=spread,field=instanceId",
                "--deployment-configuration", "maximumPercent=200,minimumHealthyPercent=100,"
                        + "deploymentCircuitBreaker={enable=true,rollback=false}");
        eventually("shapes steady", () -> cluster.settledOn("shapes", td, 1)
                && cluster.events("shapes").getFirst().endsWith("has reached a steady state."));

        JsonNode described = aws.ok("ecs", "describe-services", "--cluster", cluster.name,
                "--services", "shapes", "missing-one", "--include", "TAGS");
        JsonNode s = described.at("/services/0");
        assertThat(described.get("services")).hasSize(1);
        assertThat(s.get("serviceArn").asText()).isEqualTo(arn);
        assertThat(s.get("serviceName").asText()).isEqualTo("shapes");
        assertThat(s.get("clusterArn").asText()).isEqualTo(cluster.arn());
        assertThat(s.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(s.get("taskDefinition").asText()).isEqualTo(td);
        assertThat(s.get("desiredCount").asInt()).isEqualTo(1);
        assertThat(s.get("runningCount").asInt()).isEqualTo(1);
        assertThat(s.get("pendingCount").asInt()).isZero();
        assertThat(s.get("launchType").asText()).isEqualTo("EC2");
        assertThat(s.get("schedulingStrategy").asText()).isEqualTo("REPLICA");
        assertThat(s.at("/deploymentController/type").asText()).isEqualTo("ECS");
        assertThat(s.at("/deploymentConfiguration/maximumPercent").asInt()).isEqualTo(200);
        assertThat(s.at("/deploymentConfiguration/minimumHealthyPercent").asInt()).isEqualTo(100);
        assertThat(s.at("/deploymentConfiguration/deploymentCircuitBreaker/enable").asBoolean()).isTrue();
        assertThat(s.at("/deploymentConfiguration/deploymentCircuitBreaker/rollback").isBoolean()).isTrue();
        assertThat(s.at("/deploymentConfiguration/deploymentCircuitBreaker/rollback").asBoolean()).isFalse();
        assertThat(s.at("/placementStrategy/0/type").asText()).isEqualTo("spread");
        assertThat(s.at("/placementStrategy/0/field").asText()).isEqualTo("instanceId");
        assertThat(s.at("/tags/0/key").asText()).isEqualTo("team");
        assertThat(s.at("/tags/0/value").asText()).isEqualTo("web");
        assertThat(s.get("createdAt").asText()).as("the CLI prints timestamps as ISO 8601")
                .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}.*");

        assertThat(s.get("deployments")).hasSize(1);
        JsonNode d = s.at("/deployments/0");
        String deployment = d.get("id").asText();
        assertThat(deployment).matches("ecs-svc/[0-9]{19}");
        assertThat(d.get("status").asText()).isEqualTo("PRIMARY");
        assertThat(d.get("taskDefinition").asText()).isEqualTo(td);
        assertThat(d.get("desiredCount").asInt()).isEqualTo(1);
        assertThat(d.get("runningCount").asInt()).isEqualTo(1);
        assertThat(d.get("pendingCount").asInt()).isZero();
        assertThat(d.get("failedTasks").asInt()).isZero();
        assertThat(d.get("launchType").asText()).isEqualTo("EC2");
        assertThat(d.get("rolloutState").asText()).isEqualTo("COMPLETED");
        assertThat(d.get("rolloutStateReason").asText()).isEqualTo("ECS deployment " + deployment + " completed.");
        assertThat(d.get("createdAt").asText()).matches("\\d{4}-.*");
        assertThat(d.get("updatedAt").asText()).matches("\\d{4}-.*");

        JsonNode newest = s.at("/events/0");
        assertThat(newest.get("message").asText()).isEqualTo("(service shapes) has reached a steady state.");
        assertThat(newest.get("id").asText()).isNotBlank();
        assertThat(newest.get("createdAt").asText()).matches("\\d{4}-.*");
        assertThat(described.at("/failures/0/arn").asText()).isEqualTo(arn.replace("/shapes", "/missing-one"));
        assertThat(described.at("/failures/0/reason").asText()).isEqualTo("MISSING");

        assertThat(aws.ok("ecs", "list-services", "--cluster", cluster.name).get("serviceArns"))
                .extracting(JsonNode::asText).contains(arn);
        JsonNode updated = aws.ok("ecs", "update-service", "--cluster", cluster.name, "--service", "shapes",
                "--desired-count", "2");
        assertThat(updated.at("/service/desiredCount").asInt()).isEqualTo(2);
        assertThat(updated.at("/service/deployments/0/id").asText()).as("a count is no new deployment")
                .isEqualTo(deployment);
        eventually("shapes scaled to 2", () -> cluster.settledOn("shapes", td, 2));

        AwsCli.Result refused = aws.run("ecs", "delete-service", "--cluster", cluster.name, "--service", "shapes");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("InvalidParameterException");
        JsonNode deleted = aws.ok("ecs", "delete-service", "--cluster", cluster.name, "--service", "shapes", "--force");
        assertThat(deleted.at("/service/status").asText()).isEqualTo("DRAINING");
        eventually("shapes inactive and its containers gone", () -> cluster.service("shapes").status().equals("INACTIVE")
                && cluster.containers("shapes").isEmpty());
        assertThat(aws.ok("ecs", "describe-services", "--cluster", cluster.name, "--services", "shapes")
                .at("/services/0/status").asText()).isEqualTo("INACTIVE");
    }
}
