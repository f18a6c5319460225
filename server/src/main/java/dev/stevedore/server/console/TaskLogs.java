package dev.stevedore.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.HttpResponse;
import dev.stevedore.model.agent.ContainerLogsReply;
import dev.stevedore.model.agent.ContainerLogsRequest;
import dev.stevedore.server.EventStream;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.stevedore.server.console.Html.text;
import static dev.stevedore.server.console.Html.url;

/**
 * A task's container logs, followed live. Containers with the awslogs driver are read from CloudWatch
 * Logs as the user ({@code logs:GetLogEvents}); the others (json-file, and the drivers whose lines the
 * engine also keeps) from the Docker engine of the task's host, asked of its agent over the agent channel
 * ({@link HostLogs}) once DescribeTasks has allowed the user the task. Neither has a watch to follow, so
 * an open page's event stream asks again once a second, from where it is, and sends the new lines as
 * {@code log} events.
 */
final class TaskLogs {
    static final int FIRST_EVENTS = 500;
    /** CloudWatch Logs and the engine have no watch the console could follow, so an open page's stream asks once a second. */
    static final long FOLLOW_MILLIS = 1000;
    private static final String LEFT_OUT = "… (earlier lines left out)";

    private TaskLogs() {
    }

    /** Where a container's logs are read. */
    private sealed interface Source {
        String container();
    }

    /** An awslogs container's stream in CloudWatch Logs. */
    private record Stream(String container, String group, String stream) implements Source {
    }

    /** A container whose lines the engine of the task's host keeps. */
    private record OnHost(String container, String driver, String instanceArn, String taskArn) implements Source {
    }

    /** A container whose logs the console cannot show, and why. */
    private record Unavailable(String container, String why) implements Source {
    }

    /** The task's containers, each with where its logs are read; the task is described as the user. */
    private static List<Source> sources(View view, String cluster, String task) {
        JsonNode t = TaskPages.describe(view, cluster, List.of(task)).stream().findFirst()
                .orElseThrow(() -> new ApiCalls.Refused("InvalidParameterException", "No task " + task));
        JsonNode def = view.ecs("DescribeTaskDefinition", ApiCalls.input()
                .put("taskDefinition", t.path("taskDefinitionArn").asText())).path("taskDefinition");
        String instance = t.path("containerInstanceArn").asText("");
        List<Source> out = new ArrayList<>();
        for (JsonNode c : def.path("containerDefinitions")) {
            String name = c.path("name").asText();
            JsonNode log = c.path("logConfiguration");
            String driver = log.path("logDriver").asText("json-file");
            String prefix = log.path("options").path("awslogs-stream-prefix").asText("");
            if (driver.equals("awslogs")) {
                out.add(prefix.isEmpty()
                        ? new Unavailable(name, "No awslogs-stream-prefix: Docker names the stream after the container id.")
                        : new Stream(name, log.path("options").path("awslogs-group").asText(),
                        prefix + "/" + name + "/" + Html.lastPart(t.path("taskArn").asText())));
            } else if (driver.equals("none")) {
                out.add(new Unavailable(name, "Log driver none: the container's output is not kept."));
            } else if (instance.isEmpty()) {
                out.add(new Unavailable(name, "The task has no container instance yet."));
            } else {
                out.add(new OnHost(name, driver, instance, t.path("taskArn").asText()));
            }
        }
        return out;
    }

    private static JsonNode events(View view, Stream source, String token) {
        ObjectNode in = ApiCalls.input().put("logGroupName", source.group()).put("logStreamName", source.stream())
                .put("startFromHead", true).put("limit", FIRST_EVENTS);
        if (!token.isEmpty()) {
            in.put("nextToken", token);
        }
        return view.logs("GetLogEvents", in);
    }

    private static ContainerLogsReply hostLines(HostLogs host, OnHost source, int tail, long after)
            throws InterruptedException {
        return host.read(source.instanceArn(), ContainerLogsRequest.of(UUID.randomUUID().toString(), source.taskArn(),
                source.container(), tail, after));
    }

    private static String line(JsonNode event) {
        return Instant.ofEpochMilli(event.path("timestamp").asLong()) + "  " + event.path("message").asText();
    }

    private static String line(ContainerLogsReply.LogLine line) {
        return Instant.ofEpochMilli(line.epochNanos() / 1_000_000) + "  " + line.text();
    }

    static HttpResponse page(View view, HostLogs host, String task) throws InterruptedException {
        String cluster = view.request().segment(1);
        StringBuilder live = new StringBuilder();
        StringBuilder follow = new StringBuilder("/console/events?cluster=" + url(cluster) + "&logs=" + url(task));
        for (Source source : sources(view, cluster, task)) {
            String name = source.container();
            live.append("<h2>").append(text(name)).append("</h2>");
            switch (source) {
                case Stream s -> {
                    live.append("<p class=\"stream\">").append(text(s.group() + " · " + s.stream())).append("</p>");
                    open(live, name);
                    try {
                        JsonNode events = events(view, s, "");
                        events.path("events").forEach(e -> live.append(text(line(e))).append('\n'));
                        follow.append("&t.").append(url(name)).append('=')
                                .append(url(events.path("nextForwardToken").asText()));
                    } catch (ApiCalls.Refused e) {
                        if (e.code.equals("ResourceNotFoundException")) {
                            // Docker's driver makes the stream with the container's first lines: follow from its start.
                            follow.append("&t.").append(url(name)).append('=');
                        } else {
                            live.append(text(e.code + ": " + e.getMessage()));
                        }
                    }
                    live.append("</pre>");
                }
                case OnHost h -> {
                    live.append("<p class=\"stream\">").append(text(h.driver() + " · on container instance "
                            + Html.lastPart(h.instanceArn()) + " (docker logs)")).append("</p>");
                    ContainerLogsReply reply = hostLines(host, h, FIRST_EVENTS, 0);
                    long after = 0;
                    if (!reply.error().isEmpty()) {
                        live.append("<p class=\"error\">").append(text(reply.error())).append("</p>");
                    }
                    open(live, name);
                    if (reply.linesLeftOut()) {
                        live.append(text(LEFT_OUT)).append('\n');
                    }
                    for (ContainerLogsReply.LogLine l : reply.lines()) {
                        live.append(text(line(l))).append('\n');
                        after = l.epochNanos();
                    }
                    live.append("</pre>");
                    follow.append("&h.").append(url(name)).append('=').append(after);
                }
                case Unavailable u -> live.append("<p>").append(text(u.why())).append("</p>");
            }
        }
        String followed = "<div id=\"follow\" data-follow=\"" + text(follow.toString()) + "\"></div>";
        return Page.of("Logs of task " + task, view, "", followed, live.toString());
    }

    private static void open(StringBuilder live, String container) {
        live.append("<pre class=\"log\" data-container=\"").append(text(container)).append("\">");
    }

    /** One container's logs being followed: each call gives the lines that are new since the last. */
    private abstract static class Follower {
        final String container;

        Follower(String container) {
            this.container = container;
        }

        abstract List<String> next() throws InterruptedException;
    }

    /**
     * Follows the page's containers from where it was rendered (an awslogs stream's forward token, the last
     * engine timestamp of a container on a host): each new batch of lines is an event {@code log} with
     * {@code {"container": …, "lines": […]}}, which the page appends as text.
     */
    static EventStream follow(View view, HostLogs host, String cluster, String task, Map<String, String> query) {
        return sink -> {
            List<Follower> followers = new ArrayList<>();
            List<Source> sources;
            try {
                sources = sources(view, cluster, task);
            } catch (ApiCalls.Refused e) {
                return; // not the user's to see (or gone): the stream ends with nothing sent
            }
            for (Source source : sources) {
                String name = source.container();
                if (source instanceof Stream s && query.containsKey("t." + name)) {
                    followers.add(streamFollower(view, s, query.get("t." + name)));
                } else if (source instanceof OnHost h && query.containsKey("h." + name)) {
                    long after;
                    try {
                        after = Math.max(0, Long.parseLong(query.get("h." + name)));
                    } catch (NumberFormatException e) {
                        after = 0;
                    }
                    followers.add(hostFollower(host, h, after));
                }
            }
            while (sink.open() && !followers.isEmpty()) {
                for (Follower f : followers) {
                    List<String> lines = f.next();
                    if (!lines.isEmpty()) {
                        ObjectNode data = AwsJson.mapper().createObjectNode().put("container", f.container);
                        lines.forEach(data.putArray("lines")::add);
                        sink.send("log", data.toString());
                    }
                }
                Thread.sleep(FOLLOW_MILLIS);
            }
        };
    }

    private static Follower streamFollower(View view, Stream source, String firstToken) {
        return new Follower(source.container()) {
            private String token = firstToken;

            @Override
            List<String> next() {
                JsonNode events;
                try {
                    events = events(view, source, token);
                } catch (ApiCalls.Refused e) {
                    return List.of();
                }
                List<String> lines = new ArrayList<>();
                events.path("events").forEach(e -> lines.add(line(e)));
                token = events.path("nextForwardToken").asText(token);
                return lines;
            }
        };
    }

    private static Follower hostFollower(HostLogs host, OnHost source, long firstAfter) {
        return new Follower(source.container()) {
            private long after = firstAfter;

            @Override
            List<String> next() throws InterruptedException {
                ContainerLogsReply reply = hostLines(host, source, ContainerLogsRequest.MAX_TAIL, after);
                List<String> lines = new ArrayList<>();
                if (reply.linesLeftOut() && after > 0) {
                    lines.add(LEFT_OUT);
                }
                for (ContainerLogsReply.LogLine l : reply.lines()) {
                    lines.add(line(l));
                    after = l.epochNanos();
                }
                return lines;
            }
        };
    }
}
