package dev.stevedore.control.ecs.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.control.access.Conditions;
import dev.stevedore.control.access.RequestList;
import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.service.ServiceArns;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What every ECS operation needs to be allowed: its action, the resource it acts on and the condition
 * keys ECS supplies with it, as the Service Authorization Reference for Amazon ECS lists them.
 *
 * <p>Calls that name several resources (DescribeTasks, DescribeServices…) need the action on each.
 * Calls that run a task definition or register one need {@code iam:PassRole} on the roles the task
 * will get, with {@code iam:PassedToService = ecs-tasks.amazonaws.com}; a call that tags what it
 * creates needs {@code ecs:TagResource} on it with {@code ecs:CreateAction}, as ECS has asked since it
 * began authorizing tag-on-create. Actions IAM cannot restrict to a resource are asked on {@code *}.
 */
public final class EcsAccessRules {
    private static final String ECS_SERVICE_PRINCIPAL = "ecs.amazonaws.com";
    /** Resources in a cluster, whose ARN's path starts with the cluster's name. */
    private static final Set<String> IN_CLUSTER = Set.of("task", "container-instance", "service", "task-set",
            "service-deployment", "service-revision");

    private EcsAccessRules() {
    }

    /** A rule for every operation of the ECS API. */
    public static Map<String, AccessRule> rules(TaskDefinitionRoles roles) {
        Declarations rules = new Declarations();

        // Account settings, clusters, capacity providers.
        for (String op : List.of("DeleteAccountSetting", "PutAccountSetting", "PutAccountSettingDefault")) {
            rules.put(op, c -> c.add("*", Conditions.none().with("ecs:account-setting", c.text("name"))));
        }
        for (String op : List.of("ListAccountSettings", "ListClusters", "DescribeTaskDefinition",
                "DeregisterTaskDefinition", "ListTaskDefinitions", "ListTaskDefinitionFamilies",
                "DiscoverPollEndpoint", "ListDaemonTaskDefinitions")) {
            rules.put(op, AccessRule.anyResource("ecs:" + op));
        }
        rules.put("CreateCluster", c -> {
            String cluster = c.res.cluster(c.textOr("clusterName", "default"));
            c.add(cluster, Conditions.none()
                    .withAll("ecs:capacity-provider", c.res.capacityProviders(c.texts("capacityProviders")))
                    .withRequestTags(c.tags(), "key", "value"));
            c.tagOnCreate(cluster);
        });
        for (String op : List.of("DeleteCluster", "UpdateCluster", "UpdateClusterSettings", "ListAttributes",
                "ListContainerInstances", "DeregisterContainerInstance", "SubmitAttachmentStateChanges",
                "SubmitContainerStateChange", "SubmitTaskStateChange")) {
            rules.put(op, c -> c.add(c.cluster(), Conditions.none()));
        }
        rules.put("DescribeClusters", c -> {
            List<String> clusters = c.texts("clusters");
            for (String cluster : clusters.isEmpty() ? List.of("default") : clusters) {
                c.add(c.res.cluster(cluster), Conditions.none());
            }
        });
        rules.put("PutClusterCapacityProviders", c -> c.add(c.cluster(), Conditions.none()
                .withAll("ecs:capacity-provider", c.res.capacityProviders(c.texts("capacityProviders")))));
        rules.put("CreateCapacityProvider", c -> {
            String provider = c.res.capacityProvider(c.text("name"));
            c.add(provider, Conditions.none().withRequestTags(c.tags(), "key", "value"));
            c.tagOnCreate(provider);
        });
        rules.put("UpdateCapacityProvider", c -> c.add(c.res.capacityProvider(c.text("name")), Conditions.none()));
        rules.put("DeleteCapacityProvider", c ->
                c.add(c.res.capacityProvider(c.text("capacityProvider")), Conditions.none()));
        rules.put("DescribeCapacityProviders", c -> c.eachOrAny(c.res.capacityProviders(c.texts("capacityProviders")),
                Conditions.none()));

        // Task definitions.
        rules.put("RegisterTaskDefinition", c -> {
            String family = c.res.everyRevision(c.text("family"));
            c.add(family, Conditions.none().withRequestTags(c.tags(), "key", "value"));
            c.passTaskRoles(DefinitionRoles.of(c.text("taskRoleArn"), c.text("executionRoleArn")));
            c.tagOnCreate(family);
        });
        rules.put("DeleteTaskDefinitions", c -> {
            for (String definition : c.texts("taskDefinitions")) {
                c.add(c.res.taskDefinition(definition), Conditions.none());
            }
        });

        // Container instances and their attributes.
        rules.put("RegisterContainerInstance", c -> {
            c.add(c.cluster(), Conditions.none().withRequestTags(c.tags(), "key", "value"));
            c.tagOnCreate(c.res.everyInCluster("container-instance", c.text("cluster")));
        });
        rules.put("DescribeContainerInstances", c -> c.eachInCluster(c.containerInstances("containerInstances")));
        rules.put("UpdateContainerInstancesState", c -> c.eachInCluster(c.containerInstances("containerInstances")));
        rules.put("UpdateContainerAgent", c ->
                c.add(c.res.containerInstance(c.text("cluster"), c.text("containerInstance")), c.inCluster()));
        for (String op : List.of("PutAttributes", "DeleteAttributes")) {
            rules.put(op, c -> {
                List<String> targets = new ArrayList<>();
                for (JsonNode attribute : c.input.path("attributes")) {
                    JsonNode target = attribute.path("targetId");
                    targets.add(target.isTextual()
                            ? c.res.containerInstance(c.text("cluster"), target.asText())
                            : c.res.everyInCluster("container-instance", c.text("cluster")));
                }
                c.eachInCluster(targets);
            });
        }

        // Tasks.
        rules.put("RunTask", c -> c.runTask(roles, Conditions.none()
                .withAll("ecs:capacity-provider", c.strategyProviders())));
        rules.put("StartTask", c -> c.runTask(roles, Conditions.none()
                .withAll("ecs:container-instances", c.containerInstances("containerInstances"))));
        rules.put("StopTask", c -> c.add(c.res.task(c.text("cluster"), c.text("task")), c.inCluster()));
        rules.put("DescribeTasks", c -> c.eachInCluster(c.tasks()));
        for (String op : List.of("GetTaskProtection", "UpdateTaskProtection")) {
            // GetTaskProtection without tasks answers for every protected task of the cluster.
            rules.put(op, c -> c.eachInCluster(c.texts("tasks").isEmpty()
                    ? List.of(c.res.everyInCluster("task", c.text("cluster"))) : c.tasks()));
        }
        rules.put("ListTasks", c -> {
            String instance = c.text("containerInstance");
            c.add(instance == null ? "*" : c.res.containerInstance(c.text("cluster"), instance), c.inCluster());
        });
        rules.put("ExecuteCommand", c -> {
            String task = c.res.task(c.text("cluster"), c.text("task"));
            Conditions conditions = c.inCluster().with("ecs:task", task);
            Optional.ofNullable(c.text("container")).ifPresent(name -> conditions.with("ecs:container-name", name));
            c.add(task, conditions);
            c.add(c.cluster(), c.inCluster());
        });

        // Services, task sets and the deployment history.
        rules.put("CreateService", c -> {
            String service = c.res.service(c.text("cluster"), c.text("serviceName"));
            c.add(service, c.serviceConditions().withRequestTags(c.tags(), "key", "value"));
            c.passDefinitionRoles(roles);
            Optional.ofNullable(c.text("role")).ifPresent(role ->
                    c.requests.passRole(c.res.role(role), ECS_SERVICE_PRINCIPAL));
            c.tagOnCreate(service);
        });
        rules.put("UpdateService", c -> {
            c.add(c.service(), c.serviceConditions());
            c.passDefinitionRoles(roles);
        });
        for (String op : List.of("DeleteService", "ListServiceDeployments", "UpdateServicePrimaryTaskSet")) {
            rules.put(op, c -> c.add(c.service(), c.inCluster()));
        }
        rules.put("DescribeServices", c -> {
            for (String service : c.texts("services")) {
                c.add(c.res.service(c.text("cluster"), service), c.inCluster());
            }
        });
        rules.put("ListServices", c -> c.add("*", c.inCluster()));
        rules.put("ListServicesByNamespace", c ->
                c.add("*", Conditions.none().with("ecs:namespace", c.text("namespace"))));
        rules.put("CreateTaskSet", c -> {
            String taskSets = c.taskSet("*");
            Conditions conditions = c.inService()
                    .withAll("ecs:capacity-provider", c.strategyProviders())
                    .with("ecs:task-definition", c.res.taskDefinition(c.text("taskDefinition")))
                    .withRequestTags(c.tags(), "key", "value");
            c.add(taskSets, conditions);
            c.passDefinitionRoles(roles);
            c.tagOnCreate(taskSets);
        });
        for (String op : List.of("UpdateTaskSet", "DeleteTaskSet")) {
            rules.put(op, c -> c.add(c.taskSet(c.text("taskSet")), c.inService()));
        }
        rules.put("DescribeTaskSets", c -> {
            List<String> taskSets = c.texts("taskSets");
            for (String taskSet : taskSets.isEmpty() ? List.of("*") : taskSets) {
                c.add(c.taskSet(taskSet), c.inService());
            }
        });
        for (String op : List.of("StopServiceDeployment", "ContinueServiceDeployment")) {
            rules.put(op, c -> c.addHistory(c.text("serviceDeploymentArn")));
        }
        rules.put("DescribeServiceDeployments", c -> c.texts("serviceDeploymentArns").forEach(c::addHistory));
        rules.put("DescribeServiceRevisions", c -> c.texts("serviceRevisionArns").forEach(c::addHistory));

        // Tags.
        rules.put("TagResource", c -> c.add(c.text("resourceArn"),
                c.clusterOf(c.text("resourceArn")).withRequestTags(c.tags(), "key", "value")));
        rules.put("UntagResource", c -> c.add(c.text("resourceArn"),
                c.clusterOf(c.text("resourceArn")).withAll("aws:TagKeys", c.texts("tagKeys"))));
        rules.put("ListTagsForResource", c -> c.add(c.text("resourceArn"), Conditions.none()));

        // Daemons and Express Gateway services: not served (their handlers answer that), declared on
        // the ARNs they name so that they are authorized like the rest once they are.
        rules.put("CreateDaemon", c -> c.add("*", Conditions.none()
                .with("ecs:cluster", c.res.cluster(c.text("clusterArn")))
                .withRequestTags(c.tags(), "key", "value")));
        rules.put("RegisterDaemonTaskDefinition", c -> {
            c.add("*", Conditions.none().withRequestTags(c.tags(), "key", "value"));
            c.passTaskRoles(DefinitionRoles.of(c.text("taskRoleArn"), c.text("executionRoleArn")));
        });
        rules.put("ListDaemons", c -> c.add("*", Conditions.none()
                .with("ecs:cluster", c.res.cluster(c.text("clusterArn")))));
        for (Map.Entry<String, String> named : Map.of("DeleteDaemon", "daemonArn", "DescribeDaemon", "daemonArn",
                "UpdateDaemon", "daemonArn", "ListDaemonDeployments", "daemonArn",
                "DescribeDaemonDeployments", "daemonDeploymentArns", "DescribeDaemonRevisions", "daemonRevisionArns",
                "DeleteDaemonTaskDefinition", "daemonTaskDefinition", "DescribeDaemonTaskDefinition", "daemonTaskDefinition",
                "DeleteExpressGatewayService", "serviceArn", "DescribeExpressGatewayService", "serviceArn").entrySet()) {
            rules.put(named.getKey(), c -> c.eachOrAny(c.texts(named.getValue()).stream()
                    .filter(text -> text.startsWith("arn:")).toList(), Conditions.none()));
        }
        rules.put("CreateExpressGatewayService", c -> {
            c.add("*", Conditions.none().with("ecs:cluster", c.cluster()).withRequestTags(c.tags(), "key", "value"));
            c.passExpressRoles();
        });
        rules.put("UpdateExpressGatewayService", c -> {
            c.eachOrAny(c.texts("serviceArn"), Conditions.none());
            c.passExpressRoles();
        });
        return rules.toMap();
    }

    /** The rules by operation, each asking for its operation's own action unless it says otherwise. */
    private static final class Declarations {
        private final Map<String, AccessRule> rules = new TreeMap<>();

        void put(String operation, AccessRule rule) {
            rules.put(operation, rule);
        }

        void put(String operation, Consumer<Call> declaration) {
            String action = "ecs:" + operation;
            rules.put(operation, (ctx, input) -> {
                Call call = new Call(action, ctx, input);
                declaration.accept(call);
                return call.requests.toListOr(action);
            });
        }

        Map<String, AccessRule> toMap() {
            return Map.copyOf(rules);
        }
    }

    /** One call being declared: its input read the way ECS reads it, and the requests gathered so far. */
    private static final class Call {
        final String action;
        final CallContext ctx;
        final ObjectNode input;
        final EcsScope scope;
        final EcsResources res;
        final RequestList requests = new RequestList();

        Call(String action, CallContext ctx, ObjectNode input) {
            this.action = action;
            this.ctx = ctx;
            this.input = input;
            this.scope = EcsScope.of(ctx);
            this.res = new EcsResources(scope);
        }

        /**
         * The operation's own action on {@code resource}. A resource member the shape check let
         * through absent (none does: they are required) is asked for as {@code *}, so a rule never fails.
         */
        void add(String resource, Conditions conditions) {
            requests.add(action, resource == null ? "*" : resource, conditions);
        }

        /** The action on each resource, or on {@code *} when the call names none (it then acts on all). */
        void eachOrAny(List<String> resources, Conditions conditions) {
            for (String resource : resources.isEmpty() ? List.of("*") : resources) {
                add(resource, conditions);
            }
        }

        void eachInCluster(List<String> resources) {
            for (String resource : resources) {
                add(resource, inCluster());
            }
        }

        /** A string member; null when the request leaves it out, which is how the ARN parsers take absence. */
        String text(String member) {
            JsonNode node = input.get(member);
            return node != null && node.isTextual() ? node.asText() : null;
        }

        String textOr(String member, String absent) {
            return Optional.ofNullable(text(member)).orElse(absent);
        }

        /** A list of strings, or a single string member, as a list. */
        List<String> texts(String member) {
            JsonNode node = input.path(member);
            if (node.isTextual()) {
                return List.of(node.asText());
            }
            List<String> values = new ArrayList<>();
            node.forEach(value -> values.add(value.asText()));
            return values;
        }

        JsonNode tags() {
            return input.path("tags");
        }

        String cluster() {
            return res.cluster(text("cluster"));
        }

        Conditions inCluster() {
            return Conditions.none().with("ecs:cluster", cluster());
        }

        String service() {
            return res.service(text("cluster"), text("service"));
        }

        Conditions inService() {
            return inCluster().with("ecs:service", service());
        }

        String taskSet(String taskSet) {
            return res.taskSet(text("cluster"), text("service"), taskSet);
        }

        List<String> tasks() {
            return texts("tasks").stream().map(task -> res.task(text("cluster"), task)).toList();
        }

        List<String> containerInstances(String member) {
            return texts(member).stream().map(instance -> res.containerInstance(text("cluster"), instance)).toList();
        }

        List<String> strategyProviders() {
            List<String> providers = new ArrayList<>();
            input.path("capacityProviderStrategy").forEach(item ->
                    providers.add(res.capacityProvider(item.path("capacityProvider").asText())));
            return providers;
        }

        /** The keys of CreateService and UpdateService. */
        Conditions serviceConditions() {
            Conditions conditions = inCluster()
                    .withAll("ecs:capacity-provider", strategyProviders())
                    .withFlag("ecs:enable-execute-command", input.get("enableExecuteCommand"));
            Optional.ofNullable(text("taskDefinition")).ifPresent(definition ->
                    conditions.with("ecs:task-definition", res.taskDefinition(definition)));
            JsonNode namespace = input.path("serviceConnectConfiguration").path("namespace");
            if (namespace.isTextual()) {
                conditions.with("ecs:namespace", namespace.asText());
            }
            return conditions;
        }

        /** RunTask and StartTask: the action on the task definition, its roles passed, its tags created. */
        void runTask(TaskDefinitionRoles roles, Conditions placement) {
            Conditions conditions = placement.with("ecs:cluster", cluster())
                    .withFlag("ecs:enable-execute-command", input.get("enableExecuteCommand"))
                    .withRequestTags(tags(), "key", "value");
            add(res.taskDefinition(text("taskDefinition")), conditions);
            JsonNode overrides = input.path("overrides");
            DefinitionRoles overridden = DefinitionRoles.of(
                    overrides.path("taskRoleArn").textValue(), overrides.path("executionRoleArn").textValue());
            boolean bothOverridden = overridden.taskRole().isPresent() && overridden.executionRole().isPresent();
            DefinitionRoles stored = bothOverridden ? DefinitionRoles.NONE : storedRoles(roles);
            passTaskRoles(new DefinitionRoles(overridden.taskRole().or(stored::taskRole),
                    overridden.executionRole().or(stored::executionRole)));
            tagOnCreate(res.everyInCluster("task", text("cluster")));
        }

        /** The roles of the task definition the request names, when it names one. */
        void passDefinitionRoles(TaskDefinitionRoles roles) {
            if (text("taskDefinition") != null) {
                passTaskRoles(storedRoles(roles));
            }
        }

        private DefinitionRoles storedRoles(TaskDefinitionRoles roles) {
            return res.taskDefinitionRef(text("taskDefinition"))
                    .map(ref -> roles.of(scope, ref))
                    .orElse(DefinitionRoles.NONE);
        }

        void passTaskRoles(DefinitionRoles roles) {
            roles.taskRole().ifPresent(role -> requests.passRole(res.role(role), RequestList.ECS_TASKS));
            roles.executionRole().ifPresent(role -> requests.passRole(res.role(role), RequestList.ECS_TASKS));
        }

        void passExpressRoles() {
            passTaskRoles(DefinitionRoles.of(text("taskRoleArn"), text("executionRoleArn")));
            Optional.ofNullable(text("infrastructureRoleArn")).ifPresent(role ->
                    requests.passRole(res.role(role), ECS_SERVICE_PRINCIPAL));
        }

        /** Tagging what the call creates needs {@code ecs:TagResource} on it too, named by the creating action. */
        void tagOnCreate(String created) {
            if (!tags().isEmpty()) {
                requests.add("ecs:TagResource", created, Conditions.none()
                        .with("ecs:CreateAction", action.substring("ecs:".length()))
                        .withRequestTags(tags(), "key", "value"));
            }
        }

        /** A service deployment or revision: its cluster and service are in its ARN. */
        void addHistory(String arn) {
            Conditions conditions = Conditions.none();
            Arns.parse(arn).ifPresent(parsed -> {
                String[] path = parsed.resourceId().split("/", -1);
                if (path.length >= 2) {
                    EcsScope owner = new EcsScope(parsed.account(), parsed.region());
                    conditions.with("ecs:cluster", Arns.cluster(owner, path[0]))
                            .with("ecs:service", ServiceArns.service(owner, path[0], path[1]));
                }
            });
            add(arn, conditions);
        }

        /** {@code ecs:cluster} for a resource that lives in a cluster, read off its long-format ARN. */
        Conditions clusterOf(String resourceArn) {
            Conditions conditions = Conditions.none();
            Arns.parse(resourceArn)
                    .filter(arn -> IN_CLUSTER.contains(arn.resourceType()) && arn.resourceId().contains("/"))
                    .ifPresent(arn -> conditions.with("ecs:cluster", Arns.cluster(new EcsScope(arn.account(), arn.region()),
                            arn.resourceId().substring(0, arn.resourceId().indexOf('/')))));
            return conditions;
        }
    }
}
