package dev.stevedore.agent.endpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stevedore.agent.engine.Labels;
import dev.stevedore.agent.engine.TaskCredentialsBook;
import dev.stevedore.agent.engine.TaskEngine;
import dev.stevedore.agent.engine.TaskSnapshot;
import dev.stevedore.agent.runtime.ContainerRuntime;
import dev.stevedore.agent.runtime.ContainerStatus;
import dev.stevedore.model.agent.NetworkInterfaceAssignment;
import dev.stevedore.model.agent.TaskCredentials;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task endpoints of one agent, on the loopback interface, where {@link IptablesRoutes} sends
 * the tasks' requests to {@code 169.254.170.2:80}. It answers a request only for the task it
 * comes from (judged by its source address, which the rewrite keeps): a container presenting
 * another task's credentials id or metadata id gets the same refusal as for an id that does not
 * exist, so scanning ids tells nothing.
 *
 * <ul>
 *   <li>{@code GET /v2/credentials/{id}}: the task role's credentials, as ECS answers them
 *       ({@code RoleArn, AccessKeyId, SecretAccessKey, Token, Expiration}); 400
 *       {@code InvalidIdInRequest} for an unknown id, another task's, or a stopped task's. The
 *       execution role's, asked for by the host's Docker daemon through {@link HostRoute}, the same
 *       way; to a container they are an unknown id.</li>
 *   <li>{@code GET /v4/{id}}, {@code /task}, {@code /stats}, {@code /task/stats} (and the same under
 *       {@code /v3/}): task metadata ({@link TaskMetadata}); 404 for an unknown id or another task's.</li>
 * </ul>
 */
public final class TaskEndpointServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskEndpointServer.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private TaskEngine engine;
    private ContainerRuntime runtime;
    private String containerInstanceArn;
    private TaskMetadata metadata;

    private TaskEndpointServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Takes {@code 127.0.0.1:port} ({@code 0}: a free port, see {@link #port()}) without answering
     * yet: the routes to it are made with its port, and the engine with the routes, before
     * {@link #start} can serve that engine's tasks.
     *
     * @throws IOException when the port cannot be bound
     */
    public static TaskEndpointServer bind(int port) throws IOException {
        return new TaskEndpointServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64));
    }

    /**
     * Serves the tasks of {@code engine}.
     *
     * @param launchType {@code EC2}, or {@code FARGATE} on a Fargate platform host
     * @param availabilityZone the host's zone, which its tasks' metadata names
     */
    public void start(TaskEngine engine, ContainerRuntime runtime, String containerInstanceArn, String launchType,
                      String availabilityZone) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.containerInstanceArn = Objects.requireNonNull(containerInstanceArn, "containerInstanceArn");
        this.metadata = new TaskMetadata(runtime, Objects.requireNonNull(launchType, "launchType"),
                Objects.requireNonNull(availabilityZone, "availabilityZone"));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        log.info("task endpoints served on 127.0.0.1:{}", port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String caller = exchange.getRemoteAddress().getAddress().getHostAddress();
            Answer answer;
            try {
                if (!"GET".equals(exchange.getRequestMethod())) {
                    answer = Answer.text(405, "Method Not Allowed");
                } else if (path.equals("/v2/credentials") || path.startsWith("/v2/credentials/")) {
                    answer = credentials(path.substring(Math.min(path.length(), "/v2/credentials/".length())), caller);
                } else if (path.startsWith("/v4/") || path.startsWith("/v3/")) {
                    answer = metadata(path.substring(1, 3), path.substring(4), caller);
                } else {
                    answer = Answer.text(404, "404 page not found");
                }
            } catch (RuntimeException e) {
                log.warn("task endpoint {} from {}: {}", path, caller, e.toString());
                answer = Answer.json(500, JSON.valueToTree("failed to get " + path));
            }
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }

    private Answer credentials(String id, String caller) {
        if (id.isEmpty()) {
            return credentialsError("NoIdInRequest", "No Credential ID in the request");
        }
        Optional<TaskCredentialsBook.Issued> issued = engine.credentials().lookup(id).filter(i -> entitled(i, caller));
        if (issued.isEmpty()) {
            return credentialsError("InvalidIdInRequest", "Credentials not found");
        }
        TaskCredentials c = issued.get().credentials();
        ObjectNode body = JSON.createObjectNode()
                .put("RoleArn", c.roleArn())
                .put("AccessKeyId", c.accessKeyId())
                .put("SecretAccessKey", c.secretAccessKey())
                .put("Token", c.sessionToken())
                .put("Expiration", c.expiration().truncatedTo(ChronoUnit.SECONDS).toString());
        return Answer.json(200, body);
    }

    /**
     * The task role's credentials go to the task's own containers; the execution role's only to the
     * host itself (its Docker daemon, whose awslogs driver signs with them), never to a container.
     */
    private boolean entitled(TaskCredentialsBook.Issued issued, String caller) {
        if (issued.credentials().role() == TaskCredentials.Role.EXECUTION) {
            return HostCallers.isHost(caller);
        }
        return engine.task(issued.taskArn()).map(t -> isFrom(t, containersOf(t), caller)).orElse(false);
    }

    private static Answer credentialsError(String code, String message) {
        return Answer.json(400, JSON.createObjectNode().put("code", code).put("message", "CredentialsV2Request: " + message));
    }

    /** {@code rest} is {@code {id}}, {@code {id}/task}, {@code {id}/stats} or {@code {id}/task/stats}. */
    private Answer metadata(String version, String rest, String caller) {
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        String what = slash < 0 ? "" : rest.substring(slash);
        String handler = switch (what) {
            case "" -> "container metadata";
            case "/task" -> "task metadata";
            case "/stats" -> "container stats";
            case "/task/stats" -> "task stats";
            default -> null;
        };
        if (handler == null || id.isEmpty()) {
            return Answer.text(404, "404 page not found");
        }
        Optional<Caller> found = containerOf(id).filter(c -> isFrom(c.task(), c.containers(), caller));
        if (found.isEmpty()) {
            return Answer.json(404, JSON.valueToTree(version.toUpperCase(Locale.ROOT) + " " + handler
                    + " handler: unable to get task arn from request: no task of this agent has endpoint id " + id));
        }
        Caller c = found.get();
        return switch (what) {
            case "" -> Answer.json(200, metadata.container(c.task(), c.containerName(), c.containers()));
            case "/task" -> Answer.json(200, metadata.task(c.task(), c.containers()));
            case "/stats" -> Answer.raw(200, metadata.containerStats(c.containerName(), c.containers()));
            default -> Answer.raw(200, metadata.taskStats(c.containers()));
        };
    }

    /** The container asking, its task as the engine knows it, and the task's containers as Docker has them now. */
    private record Caller(TaskSnapshot task, String containerName, List<ContainerStatus> containers) {}

    /**
     * The task's containers as Docker has them now: the engine publishes what it knows of a task
     * when it has finished a round of work, and a container it has just started may ask before that.
     * Its {@code awsvpc} pause container is none of them.
     */
    private List<ContainerStatus> containersOf(TaskSnapshot task) {
        return runtime.listContainers(Map.of(Labels.TASK_ARN, task.taskArn(), Labels.CONTAINER_INSTANCE, containerInstanceArn))
                .stream()
                .filter(s -> s.labels().containsKey(Labels.CONTAINER_NAME))
                .toList();
    }

    /** The container whose metadata address has this id, with its task as the engine knows it. */
    private Optional<Caller> containerOf(String metadataId) {
        List<ContainerStatus> found = runtime.listContainers(Map.of(Labels.METADATA_ENDPOINT_ID, metadataId,
                Labels.CONTAINER_INSTANCE, containerInstanceArn));
        return found.stream().findFirst().flatMap(s -> {
            String task = s.labels().get(Labels.TASK_ARN);
            String name = s.labels().get(Labels.CONTAINER_NAME);
            return task == null || name == null ? Optional.empty()
                    : engine.task(task).filter(t -> t.assignment().isPresent()).map(t -> new Caller(t, name, containersOf(t)));
        });
    }

    /**
     * Whether a request from {@code address} comes from the task: its own address for an
     * {@code awsvpc} task, the address of one of its running containers otherwise (as Docker has
     * them now, because Docker hands a stopped container's address to the next container).
     */
    private static boolean isFrom(TaskSnapshot task, List<ContainerStatus> containers, String address) {
        Optional<String> own = task.assignment().flatMap(a -> a.networkInterfaces().stream().findFirst())
                .map(NetworkInterfaceAssignment::privateIpv4Address);
        if (own.isPresent()) {
            return own.get().equals(address);
        }
        return containers.stream().anyMatch(s -> s.running() && s.ipAddresses().containsValue(address));
    }

    private record Answer(int status, String contentType, byte[] body) {
        static Answer json(int status, Object value) {
            try {
                return new Answer(status, "application/json", JSON.writeValueAsBytes(value));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Answer raw(int status, String json) {
            return new Answer(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        static Answer text(int status, String text) {
            return new Answer(status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
