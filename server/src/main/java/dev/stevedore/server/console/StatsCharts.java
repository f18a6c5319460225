package dev.stevedore.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.control.ecs.feed.ClusterRef;
import dev.stevedore.control.ecs.stats.TaskStats;
import dev.stevedore.control.ecs.stats.TaskStatsBook;
import dev.stevedore.control.ecs.stats.TaskStatsSample;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A task's and a service's CPU and memory over the last hour, from the agents' samples
 * ({@link TaskStats}), drawn by {@link Charts}. Shown only to a user whom DescribeTasks allows the
 * task (on a service's page: one of its running tasks), as the page's own calls are made.
 */
final class StatsCharts {
    static final String EMPTY = "No samples yet: the task's agent reports CPU and memory every 10 s while it runs "
            + "(the first after its second sampling), and this server keeps the last hour.";

    private final TaskStats stats;
    private final Clock clock;

    StatsCharts(TaskStats stats, Clock clock) {
        this.stats = stats;
        this.clock = clock;
    }

    /** The charts of a task as DescribeTasks answered it (the call that allowed the user to see it). */
    String task(JsonNode task) {
        return charts(stats.history(task.path("taskArn").asText()), cpuReserved(task, "containers"),
                memoryLimit(task, "containers"));
    }

    /**
     * The charts of a service, summed over its running tasks; the reservation lines are the running
     * tasks' of each deployment now (one DescribeTaskDefinition per deployment that runs tasks).
     */
    String service(View view, JsonNode service) {
        String cluster = Html.lastPart(service.path("clusterArn").asText());
        try {
            JsonNode one = view.ecs("ListTasks", ApiCalls.input().put("cluster", cluster)
                    .put("serviceName", service.path("serviceName").asText()).put("desiredStatus", "RUNNING")
                    .put("maxResults", 1)).path("taskArns");
            if (!one.isEmpty()) {
                TaskPages.describe(view, cluster, List.of(one.get(0).asText()));
            }
        } catch (ApiCalls.Refused e) {
            return Page.notice("error", "CPU and memory are not shown: " + e.code + ": " + e.getMessage());
        }
        Optional<Double> cpu = Optional.of(0.0);
        Optional<Double> memory = Optional.of(0.0);
        for (JsonNode d : service.path("deployments")) {
            int running = d.path("runningCount").asInt();
            if (running == 0) {
                continue;
            }
            JsonNode definition = view.ecs("DescribeTaskDefinition", ApiCalls.input()
                    .put("taskDefinition", d.path("taskDefinition").asText())).path("taskDefinition");
            cpu = sum(cpu, cpuReserved(definition, "containerDefinitions").map(Charts.Line::value), running);
            memory = sum(memory, memoryLimit(definition, "containerDefinitions").map(Charts.Line::value), running);
        }
        TaskStatsBook.GroupRef group = new TaskStatsBook.GroupRef(new ClusterRef(view.scope(), cluster),
                "service:" + service.path("serviceName").asText());
        return charts(stats.groupHistory(group),
                cpu.filter(v -> v > 0).map(v -> new Charts.Line(v, "reserved by running tasks")),
                memory.filter(v -> v > 0).map(v -> new Charts.Line(v, "limit of running tasks")));
    }

    private static Optional<Double> sum(Optional<Double> total, Optional<Double> each, int count) {
        return total.flatMap(t -> each.map(e -> t + e * count));
    }

    private String charts(List<TaskStatsSample> samples, Optional<Charts.Line> cpu, Optional<Charts.Line> memory) {
        Instant now = clock.instant();
        return "<h2>CPU and memory</h2><div class=\"charts\">"
                + Charts.render("cpu-chart", "CPU", Charts.Unit.VCPU, samples.stream()
                        .map(s -> new Charts.Point(s.at(), s.cpuVcpus())).toList(), cpu, now, TaskStatsBook.WINDOW, EMPTY)
                + Charts.render("memory-chart", "Memory", Charts.Unit.BYTES, samples.stream()
                        .map(s -> new Charts.Point(s.at(), s.memoryBytes())).toList(), memory, now, TaskStatsBook.WINDOW,
                        EMPTY)
                + "</div>";
    }

    /**
     * The CPU a task (or a task definition) reserves, in vCPUs: the task-level size, else its containers'
     * units summed; unknown when neither reserves any (a container without units only gets a share).
     */
    static Optional<Charts.Line> cpuReserved(JsonNode task, String containers) {
        Optional<Double> units = whole(task.path("cpu"));
        if (units.isEmpty()) {
            double sum = 0;
            for (JsonNode c : task.path(containers)) {
                sum += whole(c.path("cpu")).orElse(0.0);
            }
            units = sum > 0 ? Optional.of(sum) : Optional.empty();
        }
        return units.map(u -> new Charts.Line(u / 1024, "reserved"));
    }

    /**
     * The memory a task (or a task definition) may use, in bytes: the task-level size, else its
     * containers' hard limits summed; unknown when a container has none (it may use what the host has).
     */
    static Optional<Charts.Line> memoryLimit(JsonNode task, String containers) {
        Optional<Double> mib = whole(task.path("memory"));
        if (mib.isEmpty() && task.path(containers).size() > 0) {
            double sum = 0;
            for (JsonNode c : task.path(containers)) {
                Optional<Double> limit = whole(c.path("memory"));
                if (limit.isEmpty()) {
                    return Optional.empty();
                }
                sum += limit.get();
            }
            mib = Optional.of(sum);
        }
        return mib.map(m -> new Charts.Line(m * 1024 * 1024, "limit"));
    }

    /** A size as ECS writes it, a number or a string of digits (task-level sizes like "1 vCPU" are not kept so). */
    private static Optional<Double> whole(JsonNode value) {
        String text = value.asText("");
        return text.matches("[0-9]+") ? Optional.of(Double.parseDouble(text)) : Optional.empty();
    }
}
