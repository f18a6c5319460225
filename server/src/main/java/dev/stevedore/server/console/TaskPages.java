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
    private final HostLogs hostLogs;
    private final StatsCharts charts;

    TaskPages(HostLogs hostLogs, StatsCharts charts) {
        this.hostLogs = hostLogs;
        this.charts = charts;
    }

    HttpResponse handle(View view) {
        String id = view.request().segment(3);
        if (id.isEmpty()) {
            return list(view);
        }
        return switch (view.request().segment(4)) {
            case "stop" -> stop(view, id);
            case "logs" -> logs(view, id);
            default -> task(view, id);
        };
    }

    private HttpResponse logs(View view, String id) {
        try {
            return TaskLogs.page(view, hostLogs, id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Page.html(503, "<p>The server is stopping.</p>");
        }
    }

    static List<JsonNode> describe(View view, String cluster, List<String> arns) {
        ObjectNode base = ApiCalls.input().put("cluster", cluster);
        return Lists.described(view, "DescribeTasks", "tasks", arns, 100, base);
    }

    /** The most tasks one page of the list shows: ECS's largest ListTasks page, described in one call. */
    static final int PAGE = 100;
    /** The most tasks one page looks at to fill itself with a status's tasks (ListTasks cannot filter by last status). */
    static final int LOOK_AT_MOST = 10 * PAGE;

    /**
     * A page of the cluster's tasks: those the control plane wants RUNNING first, then the STOPPED ones,
     * {@link #PAGE} at a time through ListTasks' own pages, so that a page of a 10,000-task cluster lists
     * and describes 100 tasks, not all of them. Where a page starts is in its address ({@code from}: the
     * desired status and ListTasks' token), so a live update fetches the same page again.
     *
     * <p>A last status (the cluster page's counts link to one) is not something ListTasks filters on, so
     * the page goes on through ListTasks' pages until it has {@link #PAGE} of that status or has looked
     * at {@link #LOOK_AT_MOST}: otherwise a cluster whose first 100 tasks run would show no PENDING one
     * on the first page. STOPPED ones are looked for among the tasks desired STOPPED only: a task the
     * control plane wants running has not stopped.
     */
    private HttpResponse list(View view) {
        ConsoleRequest r = view.request();
        String cluster = r.segment(1);
        String status = r.query("status");
        String from = r.query("from");
        String desired = from.startsWith("STOPPED") || status.equals("STOPPED") ? "STOPPED" : "RUNNING";
        String token = from.contains(":") ? from.substring(from.indexOf(':') + 1) : "";
        List<JsonNode> tasks = new ArrayList<>();
        int lookedAt = 0;
        String next = "";
        while (true) {
            ObjectNode in = ApiCalls.input().put("cluster", cluster).put("desiredStatus", desired)
                    // Unfiltered, exactly a page; filtered, a whole ListTasks page at a time (up to 199 shown).
                    .put("maxResults", status.isEmpty() ? PAGE - tasks.size() : PAGE);
            for (String[] f : new String[][] {{"family", "family"}, {"service", "serviceName"},
                    {"instance", "containerInstance"}}) {
                if (!r.query(f[0]).isEmpty()) {
                    in.put(f[1], r.query(f[0]));
                }
            }
            if (!token.isEmpty()) {
                in.put("nextToken", token);
            }
            JsonNode page = view.ecs("ListTasks", in);
            List<String> arns = new ArrayList<>();
            page.path("taskArns").forEach(n -> arns.add(n.asText()));
            lookedAt += arns.size();
            for (JsonNode t : describe(view, cluster, arns)) {
                if (status.isEmpty() || t.path("lastStatus").asText().equals(status)) {
                    tasks.add(t);
                }
            }
            token = page.path("nextToken").asText("");
            if (token.isEmpty() && desired.equals("STOPPED")) {
                break;
            }
            if (token.isEmpty()) {
                desired = "STOPPED";
            }
            if (tasks.size() >= PAGE || lookedAt >= LOOK_AT_MOST) {
                next = desired + ":" + token;
                break;
            }
        }
        String filters = "<form method=\"get\" class=\"filters\" id=\"task-filters\">"
                + filter("status", "Status", status) + filter("family", "Family", r.query("family"))
                + filter("service", "Service", r.query("service")) + filter("instance", "Instance", r.query("instance"))
                + "<button type=\"submit\">Filter</button></form>";
        String self = "/console/clusters/" + url(cluster) + "/tasks?status=" + url(status) + "&family="
                + url(r.query("family")) + "&service=" + url(r.query("service")) + "&instance=" + url(r.query("instance"));
        String looked = status.isEmpty() || next.isEmpty() || tasks.size() >= PAGE ? ""
                : text(tasks.size() + " " + status + " among " + lookedAt + " tasks looked at; the next page looks further. ");
        String pages = "<p class=\"pages\">" + looked + (from.isEmpty() ? "" : Html.link(self, "First page") + " ")
                + (next.isEmpty() ? "" : Html.link(self + "&from=" + url(next), "Next " + PAGE + " tasks")) + "</p>";
        return Page.of("Tasks of " + cluster, view, "/console/events?cluster=" + url(cluster), filters,
                view.notices() + table(view, cluster, tasks) + pages);
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
        List<JsonNode> found = Lists.described(view, "DescribeTasks", "tasks", List.of(id), 100,
                ApiCalls.withTags().put("cluster", cluster));
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
        live.append("</table>").append(Html.tags(t.path("tags"))).append("<p>")
                .append(Html.link(self + "/logs", "Container logs")).append("</p>");
        // A stopped task's samples are gone with it; a running one's charts follow its agent's reports.
        boolean stopped = t.path("lastStatus").asText().equals("STOPPED");
        if (!stopped) {
            live.append(charts.task(t));
        }
        String actions = t.path("desiredStatus").asText().equals("STOPPED") ? ""
                : "<form method=\"post\" action=\"" + text(self + "/stop") + "\" class=\"actions\">"
                + Page.csrf(view.csrfToken()) + "<label>Reason <input name=\"reason\" value=\"Stopped from the console\">"
                + "</label><button type=\"submit\" id=\"stop\">Stop task</button></form>";
        return Page.of("Task " + id, view, "/console/events?cluster=" + url(cluster)
                + (stopped ? "" : "&task=" + url(id)), actions, live.toString());
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
