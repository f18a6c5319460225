package dev.stevedore.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.HttpResponse;
import dev.stevedore.server.EventStream;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.stevedore.server.console.Html.text;
import static dev.stevedore.server.console.Html.url;

/**
 * A task's container logs: those of containers with the awslogs driver, read from CloudWatch Logs as the
 * user ({@code logs:GetLogEvents}) and followed live. Docker's json-file logs stay on the agent's host,
 * which the control plane cannot read yet; the page says so.
 */
final class TaskLogs {
    static final int FIRST_EVENTS = 500;
    /** CloudWatch Logs has no watch the console could follow, so an open page's stream asks once a second. */
    static final long FOLLOW_MILLIS = 1000;

    private TaskLogs() {
    }

    /** An awslogs container's stream. */
    private record Source(String container, String group, String stream) {
    }

    /** The task's containers: an awslogs stream for each that has one, else why not. */
    private static Map<String, Object> sources(View view, String cluster, String task) {
        JsonNode t = TaskPages.describe(view, cluster, List.of(task)).stream().findFirst()
                .orElseThrow(() -> new ApiCalls.Refused("InvalidParameterException", "No task " + task));
        JsonNode def = view.ecs("DescribeTaskDefinition", ApiCalls.input()
                .put("taskDefinition", t.path("taskDefinitionArn").asText())).path("taskDefinition");
        Map<String, Object> out = new LinkedHashMap<>();
        for (JsonNode c : def.path("containerDefinitions")) {
            String name = c.path("name").asText();
            JsonNode log = c.path("logConfiguration");
            String prefix = log.path("options").path("awslogs-stream-prefix").asText("");
            if (!log.path("logDriver").asText().equals("awslogs")) {
                out.put(name, "Log driver " + log.path("logDriver").asText("json-file") + ": these logs stay on the "
                        + "agent's host (docker logs); the console shows awslogs logs only.");
            } else if (prefix.isEmpty()) {
                out.put(name, "No awslogs-stream-prefix: Docker names the stream after the container id.");
            } else {
                out.put(name, new Source(name, log.path("options").path("awslogs-group").asText(),
                        prefix + "/" + name + "/" + Html.lastPart(t.path("taskArn").asText())));
            }
        }
        return out;
    }

    private static JsonNode events(View view, Source source, String token) {
        ObjectNode in = ApiCalls.input().put("logGroupName", source.group()).put("logStreamName", source.stream())
                .put("startFromHead", true).put("limit", FIRST_EVENTS);
        if (!token.isEmpty()) {
            in.put("nextToken", token);
        }
        return view.logs("GetLogEvents", in);
    }

    private static String line(JsonNode event) {
        return Instant.ofEpochMilli(event.path("timestamp").asLong()) + "  " + event.path("message").asText();
    }

    static HttpResponse page(View view, String task) {
        String cluster = view.request().segment(1);
        StringBuilder live = new StringBuilder();
        StringBuilder follow = new StringBuilder("/console/events?cluster=" + url(cluster) + "&logs=" + url(task));
        sources(view, cluster, task).forEach((name, source) -> {
            live.append("<h2>").append(text(name)).append("</h2>");
            if (source instanceof Source s) {
                live.append("<p class=\"stream\">").append(text(s.group() + " · " + s.stream())).append("</p>")
                        .append("<pre class=\"log\" data-container=\"").append(text(name)).append("\">");
                try {
                    JsonNode events = events(view, s, "");
                    events.path("events").forEach(e -> live.append(text(line(e))).append('\n'));
                    follow.append("&t.").append(url(name)).append('=').append(url(events.path("nextForwardToken").asText()));
                } catch (ApiCalls.Refused e) {
                    if (e.code.equals("ResourceNotFoundException")) {
                        // Docker's driver makes the stream with the container's first lines: follow from its start.
                        follow.append("&t.").append(url(name)).append('=');
                    } else {
                        live.append(text(e.code + ": " + e.getMessage()));
                    }
                }
                live.append("</pre>");
            } else {
                live.append("<p>").append(text((String) source)).append("</p>");
            }
        });
        String followed = "<div id=\"follow\" data-follow=\"" + text(follow.toString()) + "\"></div>";
        return Page.of("Logs of task " + task, view, "", followed,
                live.toString());
    }

    /**
     * Follows the page's streams from the tokens it was rendered with: each new batch of lines is an event
     * {@code log} with {@code {"container": …, "lines": […]}}, which the page appends as text.
     */
    static EventStream follow(View view, String cluster, String task, Map<String, String> query) {
        return sink -> {
            Map<Source, String> tokens = new LinkedHashMap<>();
            sources(view, cluster, task).forEach((name, source) -> {
                if (source instanceof Source s && query.containsKey("t." + name)) {
                    tokens.put(s, query.get("t." + name));
                }
            });
            while (sink.open() && !tokens.isEmpty()) {
                for (Map.Entry<Source, String> entry : tokens.entrySet()) {
                    JsonNode events;
                    try {
                        events = events(view, entry.getKey(), entry.getValue());
                    } catch (ApiCalls.Refused e) {
                        continue;
                    }
                    List<String> lines = new ArrayList<>();
                    events.path("events").forEach(e -> lines.add(line(e)));
                    entry.setValue(events.path("nextForwardToken").asText(entry.getValue()));
                    if (!lines.isEmpty()) {
                        ObjectNode data = AwsJson.mapper().createObjectNode().put("container", entry.getKey().container());
                        lines.forEach(data.putArray("lines")::add);
                        sink.send("log", data.toString());
                    }
                }
                Thread.sleep(FOLLOW_MILLIS);
            }
        };
    }
}
