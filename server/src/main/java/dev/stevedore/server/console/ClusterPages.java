package dev.stevedore.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.HttpResponse;
import dev.stevedore.control.ecs.feed.ClusterFeed;
import dev.stevedore.control.ecs.feed.ClusterRef;
import dev.stevedore.control.ecs.placement.PlacementExplanations;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.stevedore.server.console.Html.text;
import static dev.stevedore.server.console.Html.url;

/** Clusters, a cluster at a glance, its container instances, running a task, and why a group waits. */
final class ClusterPages {
    private final PlacementExplanations explanations;
    private final ClusterFeed feed;

    ClusterPages(PlacementExplanations explanations, ClusterFeed feed) {
        this.explanations = explanations;
        this.feed = feed;
    }

    HttpResponse list(View view) {
        List<String> arns = Lists.all(view, "ListClusters", ApiCalls.input(), "clusterArns");
        StringBuilder rows = new StringBuilder();
        for (JsonNode c : Lists.described(view, "DescribeClusters", "clusters", arns, 100)) {
            String name = c.path("clusterName").asText();
            rows.append("<tr><td>").append(Html.link("/console/clusters/" + url(name), name)).append("</td><td>")
                    .append(text(c.path("status").asText())).append("</td><td>")
                    .append(c.path("registeredContainerInstancesCount").asInt()).append("</td><td>")
                    .append(c.path("runningTasksCount").asInt()).append("</td><td>")
                    .append(c.path("pendingTasksCount").asInt()).append("</td><td>")
                    .append(c.path("activeServicesCount").asInt()).append("</td></tr>");
        }
        return Page.of("Clusters", view, "/console/events", "", view.notices()
                + "<table id=\"clusters\"><tr><th>Cluster</th><th>Status</th><th>Instances</th><th>Running tasks</th>"
                + "<th>Pending tasks</th><th>Services</th></tr>" + rows + "</table>");
    }

    HttpResponse cluster(View view) {
        String cluster = view.request().segment(1);
        JsonNode c = Lists.described(view, "DescribeClusters", "clusters", List.of(cluster), 100, ApiCalls.withTags())
                .stream().findFirst().orElseThrow(() -> new ApiCalls.Refused("ClusterNotFoundException", "Cluster not found."));
        String base = "/console/clusters/" + url(cluster);
        StringBuilder live = new StringBuilder(view.notices());
        live.append("<p class=\"summary\">").append(text(c.path("status").asText())).append(" · ")
                .append(c.path("registeredContainerInstancesCount").asInt()).append(" instances · ")
                .append(c.path("runningTasksCount").asInt()).append(" running, ")
                .append(c.path("pendingTasksCount").asInt()).append(" pending tasks · ")
                .append(Html.link(base + "/tasks", "all tasks")).append("</p>");
        live.append("<h2>Container instances</h2>").append(instancesTable(view, cluster, base));
        live.append("<h2>Tasks by status</h2>").append(tasksByStatus(view, cluster, base));
        live.append("<h2>Services</h2>").append(ServicePages.table(view, cluster, base));
        live.append(Html.tags(c.path("tags")));
        List<PlacementExplanations.Explanation> waiting = explanations.ofCluster(view.scope(), cluster);
        if (!waiting.isEmpty()) {
            live.append("<h2>Tasks that could not be placed</h2><ul id=\"waiting\">");
            for (PlacementExplanations.Explanation e : waiting) {
                live.append("<li>").append(Html.link(base + "/why?group=" + url(e.group().group()), e.group().group()))
                        .append(": ").append(e.failures().size()).append(" of ").append(e.asked())
                        .append(" not placed at ").append(text(e.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())).append("</li>");
            }
            live.append("</ul>");
        }
        return Page.of("Cluster " + cluster, view, "/console/events?cluster=" + url(cluster),
                runForm(view, base), live.toString());
    }

    private static String runForm(View view, String base) {
        ObjectNode in = ApiCalls.input().put("status", "ACTIVE");
        StringBuilder options = new StringBuilder();
        for (String family : Lists.all(view, "ListTaskDefinitionFamilies", in, "families")) {
            options.append("<option value=\"").append(text(family)).append("\">").append(text(family)).append("</option>");
        }
        return "<form method=\"post\" action=\"" + text(base + "/run") + "\" class=\"actions\" id=\"run-task\">"
                + Page.csrf(view.csrfToken()) + "<label>Run task <select name=\"taskDefinition\" id=\"run-family\">"
                + options + "</select></label><label>Count <input name=\"count\" type=\"number\" min=\"1\" max=\"10\" "
                + "value=\"1\"></label><button type=\"submit\" id=\"run\">Run</button></form>";
    }

    /** The most instances one cluster page shows: ECS's largest ListContainerInstances page, described in one call. */
    static final int INSTANCE_PAGE = 100;

    /**
     * A page of the cluster's container instances, {@link #INSTANCE_PAGE} at a time through
     * ListContainerInstances' own pages, so that the page of a cluster of many hosts describes 100 of
     * them; where the page starts (the token) is in its address, so a live update fetches the same page.
     */
    private static String instancesTable(View view, String cluster, String base) {
        String from = view.request().query("from");
        ObjectNode in = ApiCalls.input().put("cluster", cluster).put("maxResults", INSTANCE_PAGE);
        if (!from.isEmpty()) {
            in.put("nextToken", from);
        }
        JsonNode page = view.ecs("ListContainerInstances", in);
        List<String> arns = new ArrayList<>();
        page.path("containerInstanceArns").forEach(n -> arns.add(n.asText()));
        String next = page.path("nextToken").asText("");
        StringBuilder rows = new StringBuilder("<table id=\"instances\"><tr><th>Instance</th><th>Status</th>"
                + "<th>Agent</th><th>Zone</th><th>CPU</th><th>Memory</th><th>Running</th></tr>");
        for (JsonNode i : instances(view, cluster, arns)) {
            String id = Html.lastPart(i.path("containerInstanceArn").asText());
            rows.append("<tr><td>").append(Html.link(base + "/instances/" + url(id), i.path("ec2InstanceId").asText(id)))
                    .append("</td><td>").append(text(i.path("status").asText())).append("</td><td>")
                    .append(i.path("agentConnected").asBoolean() ? "connected" : "not connected").append("</td><td>")
                    .append(text(attribute(i, "ecs.availability-zone"))).append("</td><td>")
                    .append(resourceBar(i, "CPU", "")).append("</td><td>").append(resourceBar(i, "MEMORY", " MiB"))
                    .append("</td><td>").append(i.path("runningTasksCount").asInt()).append("</td></tr>");
        }
        rows.append(arns.isEmpty() ? "<tr><td colspan=\"7\">no container instances</td></tr>" : "").append("</table>");
        String pages = (from.isEmpty() ? "" : Html.link(base, "First page") + " ")
                + (next.isEmpty() ? "" : Html.link(base + "?from=" + url(next), "Next " + INSTANCE_PAGE + " instances"));
        return rows.append(pages.isEmpty() ? "" : "<p class=\"pages\" id=\"instance-pages\">" + pages + "</p>")
                .toString();
    }

    static List<JsonNode> instances(View view, String cluster, List<String> arns) {
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < arns.size(); i += 100) {
            ObjectNode in = ApiCalls.input().put("cluster", cluster);
            arns.subList(i, Math.min(arns.size(), i + 100)).forEach(in.putArray("containerInstances")::add);
            view.ecs("DescribeContainerInstances", in).path("containerInstances").forEach(out::add);
        }
        return out;
    }

    static String attribute(JsonNode instance, String name) {
        for (JsonNode a : instance.path("attributes")) {
            if (a.path("name").asText().equals(name)) {
                return a.path("value").asText("");
            }
        }
        return "";
    }

    private static long resource(JsonNode instance, String list, String name) {
        for (JsonNode r : instance.path(list)) {
            if (r.path("name").asText().equals(name)) {
                return r.path("integerValue").asLong();
            }
        }
        return 0;
    }

    /** Used of registered, as a bar: what is placed on the instance against what it offers. */
    static String resourceBar(JsonNode instance, String name, String unit) {
        long registered = resource(instance, "registeredResources", name);
        long used = registered - resource(instance, "remainingResources", name);
        return Html.bar(used, registered, used + " of " + registered + unit + " reserved, "
                + (registered - used) + unit + " remaining");
    }

    /**
     * The cluster's tasks counted by last status from the feed's index (a copy of a few counts, not a
     * Describe of every task: a page of a 10,000-task cluster renders as fast as an empty one). Shown
     * only after DescribeClusters allowed the user to see the cluster.
     */
    private String tasksByStatus(View view, String cluster, String base) {
        ClusterRef ref = new ClusterRef(view.scope(), cluster);
        Map<String, Integer> counts = new TreeMap<>();
        feed.taskCountsByStatus().forEach((key, n) -> {
            if (key.cluster().equals(ref)) {
                counts.merge(key.lastStatus(), n, Integer::sum);
            }
        });
        StringBuilder out = new StringBuilder("<ul id=\"tasks-by-status\" class=\"counts\">");
        counts.forEach((status, n) -> out.append("<li>").append(Html.link(base + "/tasks?status=" + url(status),
                status + " " + n)).append("</li>"));
        return out.append(counts.isEmpty() ? "<li>no tasks</li>" : "").append("</ul>").toString();
    }

    HttpResponse run(View view) {
        String cluster = view.request().segment(1);
        String base = "/console/clusters/" + url(cluster);
        if (!view.request().method().equals("POST")) {
            return Page.redirect(base);
        }
        int count;
        try {
            count = Integer.parseInt(view.request().form("count").trim());
        } catch (NumberFormatException e) {
            count = 1;
        }
        ObjectNode in = ApiCalls.input().put("cluster", cluster)
                .put("taskDefinition", view.request().form("taskDefinition")).put("count", count)
                .put("startedBy", "console");
        try {
            JsonNode out = view.ecs("RunTask", in);
            if (!out.path("failures").isEmpty()) {
                JsonNode f = out.path("failures").get(0);
                return Page.redirect(base + "?error=" + url(out.path("failures").size() + " task(s) not placed: "
                        + f.path("reason").asText() + " " + f.path("detail").asText()));
            }
            if (out.path("tasks").size() == 1) {
                return Page.redirect(base + "/tasks/" + url(Html.lastPart(out.path("tasks").get(0).path("taskArn").asText())));
            }
            return Page.redirect(base + "/tasks?notice=" + url(out.path("tasks").size() + " tasks started"));
        } catch (ApiCalls.Refused e) {
            return Page.redirect(base + "?error=" + url(e.code + ": " + e.getMessage()));
        }
    }

    HttpResponse instance(View view) {
        String cluster = view.request().segment(1);
        String id = view.request().segment(3);
        String base = "/console/clusters/" + url(cluster);
        String self = base + "/instances/" + url(id);
        if (view.request().method().equals("POST")) {
            ObjectNode in = ApiCalls.input().put("cluster", cluster).put("status", view.request().form("status"));
            in.putArray("containerInstances").add(id);
            try {
                JsonNode out = view.ecs("UpdateContainerInstancesState", in);
                String failure = out.path("failures").isEmpty() ? ""
                        : out.path("failures").get(0).path("reason").asText();
                return Page.redirect(self + (failure.isEmpty() ? "?notice=" + url("Status set to "
                        + view.request().form("status")) : "?error=" + url(failure)));
            } catch (ApiCalls.Refused e) {
                return Page.redirect(self + "?error=" + url(e.code + ": " + e.getMessage()));
            }
        }
        List<JsonNode> found = instances(view, cluster, List.of(id));
        if (found.isEmpty()) {
            throw new ApiCalls.Refused("InvalidParameterException", "No container instance " + id + " in " + cluster);
        }
        JsonNode i = found.get(0);
        StringBuilder live = new StringBuilder(view.notices()).append("<dl>");
        field(live, "Status", i.path("status").asText());
        field(live, "EC2 instance", i.path("ec2InstanceId").asText());
        field(live, "Agent", i.path("agentConnected").asBoolean() ? "connected" : "not connected");
        field(live, "Zone", attribute(i, "ecs.availability-zone"));
        field(live, "Running tasks", i.path("runningTasksCount").asText());
        field(live, "Pending tasks", i.path("pendingTasksCount").asText());
        live.append("<dt>CPU</dt><dd>").append(resourceBar(i, "CPU", "")).append("</dd><dt>Memory</dt><dd>")
                .append(resourceBar(i, "MEMORY", " MiB")).append("</dd></dl><h2>Attributes</h2><table id=\"attributes\">");
        for (JsonNode a : i.path("attributes")) {
            live.append("<tr><td>").append(text(a.path("name").asText())).append("</td><td>")
                    .append(text(a.path("value").asText(""))).append("</td></tr>");
        }
        live.append("</table><h2>Tasks</h2>");
        ObjectNode in = ApiCalls.input().put("cluster", cluster).put("containerInstance", id);
        live.append(TaskPages.table(view, cluster, TaskPages.describe(view, cluster, Lists.all(view, "ListTasks", in,
                "taskArns"))));
        String next = i.path("status").asText().equals("DRAINING") ? "ACTIVE" : "DRAINING";
        String actions = "<form method=\"post\" action=\"" + text(self) + "\" class=\"actions\">"
                + Page.csrf(view.csrfToken()) + "<input type=\"hidden\" name=\"status\" value=\"" + next + "\">"
                + "<button type=\"submit\" id=\"instance-state\">" + (next.equals("DRAINING") ? "Drain" : "Activate")
                + "</button></form>";
        return Page.of("Instance " + i.path("ec2InstanceId").asText(id), view,
                "/console/events?cluster=" + url(cluster), actions, live.toString());
    }

    static void field(StringBuilder out, String name, String value) {
        out.append("<dt>").append(text(name)).append("</dt><dd>").append(text(value)).append("</dd>");
    }

    /**
     * The last failed placement of a task group. The explanations are the leader's memory, not an API's
     * answer, so the page first asks DescribeClusters as the user (as the cluster page's counts do): a
     * user not allowed the cluster sees the refusal, not its instances. The closest instances are named
     * by their EC2 ids (DescribeContainerInstances, as the user) and link to their pages.
     */
    HttpResponse why(View view) {
        String cluster = view.request().segment(1);
        String group = view.request().query("group");
        String base = "/console/clusters/" + url(cluster);
        Lists.described(view, "DescribeClusters", "clusters", List.of(cluster), 100).stream().findFirst()
                .orElseThrow(() -> new ApiCalls.Refused("ClusterNotFoundException", "Cluster not found."));
        StringBuilder live = new StringBuilder();
        explanations.last(new PlacementExplanations.Group(view.scope(), cluster, group)).ifPresentOrElse(e -> {
            Map<String, String> ec2Ids = ec2Ids(view, cluster, e.failures().stream()
                    .map(f -> f.arn() == null ? "" : f.arn()).filter(a -> !a.isEmpty()).distinct().toList());
            live.append("<p>At ").append(text(e.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()))
                    .append(", ").append(e.asked()).append(" task(s) of ").append(text(group))
                    .append(" were asked for and ").append(e.placed()).append(" placed.</p><table id=\"why\"><tr>"
                            + "<th>Task</th><th>Closest instance</th><th>Reason</th><th>What each filter rejected</th></tr>");
            int n = 0;
            for (var f : e.failures()) {
                String id = Html.lastPart(f.arn() == null ? "" : f.arn());
                live.append("<tr><td>").append(++n).append("</td><td>")
                        .append(id.isEmpty() ? "" : Html.link(base + "/instances/" + url(id),
                                ec2Ids.getOrDefault(f.arn(), id)))
                        .append("</td><td>").append(text(f.reason() == null ? "" : f.reason())).append("</td><td><ul>");
                for (String part : (f.detail() == null ? "" : f.detail()).split("; ")) {
                    live.append("<li>").append(text(part)).append("</li>");
                }
                live.append("</ul></td></tr>");
            }
            live.append("</table>");
        }, () -> live.append("<p>No failed placement of ").append(text(group)).append(" is known: its last placement "
                + "placed every task, or none failed since this server started leading.</p>"));
        return Page.of("Why is " + group + " not running?", view, "/console/events?cluster=" + url(cluster), "",
                live.toString());
    }

    /** Container instance ARN to its EC2 instance id, for those the user may describe; empty if refused. */
    private static Map<String, String> ec2Ids(View view, String cluster, List<String> arns) {
        Map<String, String> out = new TreeMap<>();
        try {
            for (JsonNode i : instances(view, cluster, arns)) {
                if (i.hasNonNull("ec2InstanceId")) {
                    out.put(i.path("containerInstanceArn").asText(), i.path("ec2InstanceId").asText());
                }
            }
        } catch (ApiCalls.Refused refused) {
            // The ids stay as they are: the explanation is still the user's to read.
        }
        return out;
    }
}
