package dev.stevedore.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.HttpResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.stevedore.server.console.Html.text;
import static dev.stevedore.server.console.Html.url;

/** A cluster's tasks (filtered), one task with its containers, stopping it, and its containers' logs. */
final class TaskPages {

    HttpResponse handle(View view) {
        String id = view.request().segment(3);
        if (id.isEmpty()) {
            return list(view);
        }
        return switch (view.request().segment(4)) {
            case "stop" -> stop(view, id);
            case "logs" -> TaskLogs.page(view, id);
            default -> task(view, id);
        };
    }

    static List<JsonNode> describe(View view, String cluster, List<String> arns) {
        ObjectNode base = ApiCalls.input().put("cluster", cluster);
        return Lists.described(view, "DescribeTasks", "tasks", arns, 100, base);
    }

    private HttpResponse list(View view) {
        ConsoleRequest r = view.request();
        String cluster = r.segment(1);
        String status = r.query("status");
        List<JsonNode> tasks = new ArrayList<>();
        for (String desired : List.of("RUNNING", "STOPPED")) {
            ObjectNode in = ApiCalls.input().put("cluster", cluster).put("desiredStatus", desired);
            if (!r.query("family").isEmpty()) {
                in.put("family", r.query("family"));
            }
            if (!r.query("service").isEmpty()) {
                in.put("serviceName", r.query("service"));
            }
            if (!r.query("instance").isEmpty()) {
                in.put("containerInstance", r.query("instance"));
            }
            for (JsonNode t : describe(view, cluster, Lists.all(view, "ListTasks", in, "taskArns"))) {
                if (status.isEmpty() || t.path("lastStatus").asText().equals(status)) {
                    tasks.add(t);
                }
            }
        }
        String filters = "<form method=\"get\" class=\"filters\" id=\"task-filters\">"
                + filter("status", "Status", status) + filter("family", "Family", r.query("family"))
                + filter("service", "Service", r.query("service")) + filter("instance", "Instance", r.query("instance"))
                + "<button type=\"submit\">Filter</button></form>";
        return Page.of("Tasks of " + cluster, view, "/console/events?cluster=" + url(cluster), filters,
                view.notices() + table(view, cluster, tasks));
    }

    private static String filter(String name, String label, String value) {
        return "<label>" + text(label) + " <input name=\"" + name + "\" value=\"" + text(value) + "\"></label>";
    }

    static String table(View view, String cluster, List<JsonNode> tasks) {
        StringBuilder out = new StringBuilder("<table class=\"tasks\"><tr><th>Task</th><th>Definition</th><th>Last status"
                + "</th><th>Desired</th><th>Group</th><th>Started</th><th>Stopped reason</th></tr>");
        String base = "/console/clusters/" + url(cluster) + "/tasks/";
        for (JsonNode t : tasks) {
            String id = Html.lastPart(t.path("taskArn").asText());
            out.append("<tr data-task=\"").append(text(id)).append("\"><td>").append(Html.link(base + url(id), id))
                    .append("</td><td>").append(text(Html.lastPart(t.path("taskDefinitionArn").asText())))
                    .append("</td><td class=\"last-status\">").append(text(t.path("lastStatus").asText()))
                    .append("</td><td>").append(text(t.path("desiredStatus").asText())).append("</td><td>")
                    .append(text(t.path("group").asText(""))).append("</td><td>").append(time(t.path("startedAt")))
                    .append("</td><td>").append(text(t.path("stoppedReason").asText(""))).append("</td></tr>");
        }
        return out.append("</table>").toString();
    }

    static String time(JsonNode epochSeconds) {
        if (!epochSeconds.isNumber()) {
            return "";
        }
        return text(Instant.ofEpochMilli(Math.round(epochSeconds.asDouble() * 1000)).toString());
    }

    private HttpResponse task(View view, String id) {
        String cluster = view.request().segment(1);
        String self = "/console/clusters/" + url(cluster) + "/tasks/" + url(id);
        List<JsonNode> found = describe(view, cluster, List.of(id));
        if (found.isEmpty()) {
            throw new ApiCalls.Refused("InvalidParameterException", "No task " + id + " in " + cluster);
        }
        JsonNode t = found.get(0);
        StringBuilder live = new StringBuilder(view.notices()).append("<dl id=\"task\">");
        ClusterPages.field(live, "Task definition", Html.lastPart(t.path("taskDefinitionArn").asText()));
        live.append("<dt>Last status</dt><dd id=\"last-status\">").append(text(t.path("lastStatus").asText()))
                .append("</dd>");
        ClusterPages.field(live, "Desired status", t.path("desiredStatus").asText());
        ClusterPages.field(live, "Group", t.path("group").asText(""));
        ClusterPages.field(live, "Started by", t.path("startedBy").asText(""));
        ClusterPages.field(live, "Container instance", Html.lastPart(t.path("containerInstanceArn").asText("")));
        ClusterPages.field(live, "Launch type", t.path("launchType").asText(""));
        for (String at : List.of("createdAt", "pullStartedAt", "startedAt", "stoppingAt", "stoppedAt")) {
            live.append("<dt>").append(at).append("</dt><dd>").append(time(t.path(at))).append("</dd>");
        }
        ClusterPages.field(live, "Stop code", t.path("stopCode").asText(""));
        live.append("<dt>Stopped reason</dt><dd id=\"stopped-reason\">").append(text(t.path("stoppedReason").asText("")))
                .append("</dd></dl>");
        if (t.path("lastStatus").asText().equals("PROVISIONING") || t.path("lastStatus").asText().equals("PENDING")) {
            live.append("<p>").append(Html.link("/console/clusters/" + url(cluster) + "/why?group="
                    + url(t.path("group").asText("")), "Why is this group not running?")).append("</p>");
        }
        live.append("<h2>Containers</h2><table id=\"containers\"><tr><th>Name</th><th>Image</th><th>Last status</th>"
                + "<th>Exit code</th><th>Reason</th><th>Network bindings</th></tr>");
        for (JsonNode c : t.path("containers")) {
            StringBuilder bindings = new StringBuilder();
            for (JsonNode b : c.path("networkBindings")) {
                bindings.append(text(b.path("bindIP").asText("")) + ":" + b.path("hostPort").asInt() + " → "
                        + b.path("containerPort").asInt() + "/" + text(b.path("protocol").asText("tcp")) + " ");
            }
            for (JsonNode n : c.path("networkInterfaces")) {
                bindings.append(text(n.path("privateIpv4Address").asText(""))).append(' ');
            }
            live.append("<tr><td>").append(text(c.path("name").asText())).append("</td><td>")
                    .append(text(c.path("image").asText(""))).append("</td><td>")
                    .append(text(c.path("lastStatus").asText(""))).append("</td><td>")
                    .append(c.has("exitCode") ? c.path("exitCode").asInt() : "").append("</td><td>")
                    .append(text(c.path("reason").asText(""))).append("</td><td>").append(bindings).append("</td></tr>");
        }
        live.append("</table><p>").append(Html.link(self + "/logs", "Container logs")).append("</p>");
        String actions = t.path("desiredStatus").asText().equals("STOPPED") ? ""
                : "<form method=\"post\" action=\"" + text(self + "/stop") + "\" class=\"actions\">"
                + Page.csrf(view.csrfToken()) + "<label>Reason <input name=\"reason\" value=\"Stopped from the console\">"
                + "</label><button type=\"submit\" id=\"stop\">Stop task</button></form>";
        return Page.of("Task " + id, view, "/console/events?cluster=" + url(cluster), actions, live.toString());
    }

    private HttpResponse stop(View view, String id) {
        String cluster = view.request().segment(1);
        String self = "/console/clusters/" + url(cluster) + "/tasks/" + url(id);
        if (!view.request().method().equals("POST")) {
            return Page.redirect(self);
        }
        ObjectNode in = ApiCalls.input().put("cluster", cluster).put("task", id);
        if (!view.request().form("reason").isBlank()) {
            in.put("reason", view.request().form("reason"));
        }
        try {
            view.ecs("StopTask", in);
            return Page.redirect(self + "?notice=" + url("Stop requested"));
        } catch (ApiCalls.Refused e) {
            return Page.redirect(self + "?error=" + url(e.code + ": " + e.getMessage()));
        }
    }
}
