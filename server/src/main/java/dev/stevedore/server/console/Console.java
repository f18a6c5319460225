package dev.stevedore.server.console;

import dev.stevedore.awsproto.CredentialsLookup;
import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.HttpResponse;
import dev.stevedore.awsproto.JsonProtocolEndpoint;
import dev.stevedore.awsproto.SigningIdentity;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.feed.ClusterFeed;
import dev.stevedore.control.ecs.placement.PlacementExplanations;
import dev.stevedore.control.ecs.stats.TaskStats;
import dev.stevedore.server.EventStream;
import dev.stevedore.store.StateStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The web console under {@code /console/} on the API's listener: server-rendered pages over the ECS
 * API, signed in with an access key pair, updated live from the cluster feed (see ARCHITECTURE.md,
 * "Console"). Every page reads, and every form changes, through {@link ApiCalls} as the signed-in user.
 */
public final class Console implements AutoCloseable {
    static final String PREFIX = "/console/";

    private final CredentialsLookup credentials;
    private final ConsoleSessions sessions;
    private final SignInDelays delays = new SignInDelays();
    private final String defaultRegion;
    private final ApiCalls ecs;
    private final ApiCalls logs;
    private final ClusterPages clusters;
    private final TaskPages tasks;
    private final ServicePages services;
    private final TaskDefinitionPages definitions;
    private final LiveUpdates live;
    private final HostLogs hostLogs;

    /**
     * @param credentials  the keys that may sign in: the root's and IAM users' (the lookup SigV4 uses)
     * @param sessionKey   this server's own key for session cookies
     * @param ecs          the ECS endpoint with its operations guarded by the authorizer
     * @param logs         the CloudWatch Logs endpoint, guarded the same way
     * @param hostLogs     the lines of containers whose logs stay on their host, asked of their agents
     * @param stats        the running tasks' CPU and memory of the last hour, for the charts
     * @param store        watched (never read) for changes of task definitions, which the feed does not carry
     */
    public Console(CredentialsLookup credentials, byte[] sessionKey, String defaultRegion, JsonProtocolEndpoint ecs,
                   JsonProtocolEndpoint logs, HostLogs hostLogs, ClusterFeed feed, PlacementExplanations explanations,
                   TaskStats stats, StateStore store, Clock clock) {
        this.credentials = credentials;
        this.sessions = new ConsoleSessions(sessionKey, clock);
        this.defaultRegion = defaultRegion;
        this.ecs = new ApiCalls(ecs);
        this.logs = new ApiCalls(logs);
        this.clusters = new ClusterPages(explanations, feed);
        this.hostLogs = hostLogs;
        StatsCharts charts = new StatsCharts(stats, clock);
        this.tasks = new TaskPages(hostLogs, charts);
        this.services = new ServicePages(charts);
        this.definitions = new TaskDefinitionPages();
        this.live = new LiveUpdates(store, feed, stats);
    }

    public boolean accepts(HttpRequest request) {
        return request.path().equals("/console") || request.path().startsWith(PREFIX);
    }

    public HttpResponse handle(HttpRequest http) {
        if (!http.path().startsWith(PREFIX)) {
            return Page.redirect(PREFIX);
        }
        ConsoleRequest request = ConsoleRequest.of(http);
        String first = request.segment(0);
        if (first.equals("static")) {
            return staticFile(request.segment(1));
        }
        if (first.equals("signin")) {
            return request.method().equals("POST") ? signIn(request) : signInPage("", SignInTokens.fresh());
        }
        Optional<ConsoleSessions.Session> session = session(request);
        Optional<SigningIdentity> identity = session.flatMap(s -> credentials.find(s.accessKeyId()));
        if (session.isEmpty() || identity.isEmpty()) {
            return request.method().equals("POST") ? Page.html(403, "<p>Not signed in.</p>")
                    : Page.redirect(PREFIX + "signin");
        }
        if (request.method().equals("POST")) {
            if (!sessions.csrfValid(session.get(), request.form("_csrf"))) {
                return Page.html(403, "<!DOCTYPE html><title>Refused</title><p class=\"error\">Refused: this form "
                        + "did not carry the session's CSRF token.</p>");
            }
            if (first.equals("signout")) {
                sessions.signOut(session.get());
                return Page.redirect(PREFIX + "signin", Map.of("Set-Cookie", cookie("", 0)));
            }
        }
        View view = new View(new ApiCalls.Caller(identity.get().principal(), session.get().region(),
                request.sourceIp()), request, sessions.csrfToken(session.get()), ecs, logs);
        try {
            return switch (first) {
                case "", "clusters" -> request.segment(1).isEmpty() ? clusters.list(view) : cluster(view);
                case "taskdefs" -> definitions.handle(view);
                default -> Page.html(404, "<p>No such page.</p>");
            };
        } catch (ApiCalls.Refused e) {
            return Page.of("Refused", view, "", "", Page.notice("error", e.code + ": " + e.getMessage()));
        }
    }

    private HttpResponse cluster(View view) {
        String section = view.request().segment(2);
        return switch (section) {
            case "" -> clusters.cluster(view);
            case "run" -> clusters.run(view);
            case "instances" -> clusters.instance(view);
            case "why" -> clusters.why(view);
            case "tasks" -> tasks.handle(view);
            case "services" -> services.handle(view);
            default -> Page.html(404, "<p>No such page.</p>");
        };
    }

    /** The live updates of a signed-in page: empty for every other request, which {@link #handle} answers. */
    public Optional<EventStream> stream(HttpRequest http) {
        if (!http.method().equals("GET") || !http.path().equals(PREFIX + "events")) {
            return Optional.empty();
        }
        ConsoleRequest request = ConsoleRequest.of(http);
        Optional<ConsoleSessions.Session> session = session(request);
        if (session.isEmpty() || session.flatMap(s -> credentials.find(s.accessKeyId())).isEmpty()) {
            return Optional.empty();
        }
        SigningIdentity identity = credentials.find(session.get().accessKeyId()).orElseThrow();
        View view = new View(new ApiCalls.Caller(identity.principal(), session.get().region(), request.sourceIp()),
                request, sessions.csrfToken(session.get()), ecs, logs);
        String cluster = request.query("cluster");
        // A stream tells when a cluster changes: only to someone allowed to see that cluster.
        if (!cluster.isEmpty()) {
            try {
                view.ecs("DescribeClusters", ApiCalls.input().set("clusters", ApiCalls.input().arrayNode().add(cluster)));
            } catch (ApiCalls.Refused e) {
                return Optional.empty();
            }
        }
        if (!request.query("taskdefs").isEmpty()) {
            // Only to someone who may list the task definitions it tells of.
            try {
                view.ecs("ListTaskDefinitionFamilies", ApiCalls.input().put("maxResults", 1));
            } catch (ApiCalls.Refused e) {
                return Optional.empty();
            }
            return Optional.of(live.taskDefinitionStream(identity.principal().accountId(), session.get().region(),
                    EcsKeys.taskDefinitions(new EcsScope(identity.principal().accountId(), session.get().region()))));
        }
        if (!request.query("logs").isEmpty()) {
            return Optional.of(TaskLogs.follow(view, hostLogs, cluster, request.query("logs"), request.query()));
        }
        // A page with charts also hears when its task (or its service's tasks) had a sample.
        String statsOf = !request.query("task").isEmpty() ? "task/" + request.query("task") : request.query("group");
        return Optional.of(live.stream(identity.principal().accountId(), session.get().region(), cluster, statsOf));
    }

    private Optional<ConsoleSessions.Session> session(ConsoleRequest request) {
        return Optional.ofNullable(request.cookies().get(ConsoleSessions.COOKIE)).flatMap(sessions::verify);
    }

    private HttpResponse signIn(ConsoleRequest request) {
        // Before the keys are looked at: a form another site made a browser post carries no token.
        Optional<String> token = SignInTokens.carried(request.cookies().get(SignInTokens.COOKIE), request.form("_csrf"));
        if (token.isEmpty()) {
            return Page.html(403, "<!DOCTYPE html><title>Refused</title><p class=\"error\">Refused: this sign-in did "
                    + "not come from the console's own sign-in form. <a href=\"/console/signin\">Sign in</a></p>");
        }
        String keyId = request.form("accessKeyId").trim();
        String secret = request.form("secretAccessKey");
        String source = request.sourceIp().orElse("in-process");
        Optional<SigningIdentity> identity = credentials.find(keyId)
                // Temporary credentials need their session token: the console takes long-term keys only.
                .filter(id -> id.sessionToken().isEmpty())
                .filter(id -> MessageDigest.isEqual(id.secretAccessKey().getBytes(StandardCharsets.UTF_8),
                        secret.getBytes(StandardCharsets.UTF_8)));
        if (identity.isEmpty()) {
            Duration pause = delays.failed(source);
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return signInPage("Sign-in failed: the access key ID or the secret access key is wrong. This answer "
                    + "was held back " + pause.toMillis() + " ms; each further failure doubles the wait.", token.get());
        }
        delays.succeeded(source);
        String region = request.form("region").isBlank() ? defaultRegion : request.form("region").trim();
        return Page.redirect(PREFIX + "clusters", Map.of("Set-Cookie",
                cookie(sessions.create(keyId, region), ConsoleSessions.LIFETIME.toSeconds())));
    }

    /** HttpOnly and SameSite=Strict; no Secure flag, because the console is served over plain HTTP on loopback. */
    private static String cookie(String value, long maxAgeSeconds) {
        return ConsoleSessions.COOKIE + "=" + value + "; Path=/console/; HttpOnly; SameSite=Strict; Max-Age="
                + maxAgeSeconds;
    }

    /** The sign-in form, carrying {@code token}, which its cookie (set here) holds too. */
    private HttpResponse signInPage(String error, String token) {
        String form = Page.notice("error", error)
                + "<form method=\"post\" action=\"/console/signin\" class=\"signin\" autocomplete=\"off\">"
                + "<input type=\"hidden\" name=\"_csrf\" value=\"" + Html.text(token) + "\">"
                + "<label>Access key ID <input name=\"accessKeyId\" id=\"accessKeyId\" required></label>"
                + "<label>Secret access key <input name=\"secretAccessKey\" id=\"secretAccessKey\" type=\"password\" "
                + "required></label>"
                + "<label>Region <input name=\"region\" id=\"region\" value=\"" + Html.text(defaultRegion) + "\"></label>"
                + "<button type=\"submit\" id=\"signin\">Sign in</button></form>";
        HttpResponse page = Page.signedOut("Sign in", form);
        Map<String, String> headers = new LinkedHashMap<>(page.headers());
        headers.put("Set-Cookie", SignInTokens.cookie(token));
        return new HttpResponse(error.isEmpty() ? 200 : 401, headers, page.body());
    }

    private static final Map<String, String> STATIC_TYPES = Map.of(
            "console.css", "text/css; charset=utf-8", "console.js", "text/javascript; charset=utf-8");

    private static HttpResponse staticFile(String name) {
        String type = STATIC_TYPES.get(name);
        if (type == null) {
            return Page.html(404, "<p>No such file.</p>");
        }
        try (InputStream in = Console.class.getResourceAsStream(name)) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", type);
            headers.put("Cache-Control", "max-age=300");
            return new HttpResponse(200, headers, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        live.close();
    }
}
