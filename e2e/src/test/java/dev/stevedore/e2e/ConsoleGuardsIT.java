package dev.stevedore.e2e;

import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.agent.channel.AgentChannelClient;
import dev.stevedore.agent.channel.ChannelClientSettings;
import dev.stevedore.agent.channel.ChannelUrlSigner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.Tag;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The console's guards, over plain HTTP as a script (not a browser) would try them: the session cookie's
 * flags, a sign-in pause that grows with each failure, a cookie of another server refused, every form
 * that changes something refused without its CSRF token, a cluster of more than a page of tasks
 * listed by last status, markup refused as a tag value, and why a task waits shown only to whom may see
 * its cluster. No Docker engine: the one host is an agent channel client that runs nothing
 * (placement needs its agent connected), and the test reports task states as its agent would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleGuardsIT {
    static final String CLUSTER = "guards";
    static final String COOKIE = "stevedore-console";
    /** More than one page of the console's task list (100). */
    static final int TASKS = 110;
    final HttpClient http = HttpClient.newHttpClient();
    InProcessStevedore server;
    EcsClient ecs;
    AgentChannelClient host;
    String base;
    String instanceId;

    @BeforeAll
    void start() {
        server = InProcessStevedore.start();
        base = server.plane.endpoint() + "/console/";
        ecs = server.ecs();
        String instanceArn = ApiHosts.register(ecs, CLUSTER, 1, 4096, 16384).getFirst();
        instanceId = instanceArn.replaceAll(".*/", "");
        host = new AgentChannelClient(instanceArn, server::endpoint, new ChannelUrlSigner(AgentCredentials.of(
                InProcessStevedore.ACCESS_KEY, InProcessStevedore.SECRET_KEY), InProcessStevedore.REGION,
                Duration.ofMinutes(5), Clock.systemUTC()), desired -> { }, ChannelClientSettings.defaults()).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> ecs.describeContainerInstances(b -> b.cluster(CLUSTER)
                .containerInstances(instanceArn)).containerInstances().getFirst().agentConnected());
        ecs.registerTaskDefinition(b -> b.family("tiny").containerDefinitions(ContainerDefinition.builder()
                .name("main").image("stevedore-test/busybox:latest").memory(16).build()));
        for (int placed = 0; placed < TASKS; placed += 10) {
            assertThat(ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("tiny").count(10)).tasks()).hasSize(10);
        }
        ecs.createService(b -> b.cluster(CLUSTER).serviceName("web").taskDefinition("tiny:1").desiredCount(0));
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {host, ecs, server}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("closing: " + e);
            }
        }
    }

    @Test
    @Order(1)
    void theSessionCookieIsHttpOnlyStrictAndHoldsNoSecret() throws Exception {
        HttpResponse<String> signedIn = signIn(InProcessStevedore.SECRET_KEY);

        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("Location")).hasValue("/console/clusters");
        String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie.split(";\\s*")).contains("HttpOnly", "SameSite=Strict", "Path=/console/");
        assertThat(setCookie).doesNotContain(InProcessStevedore.SECRET_KEY)
                .doesNotContain(URLEncoder.encode(InProcessStevedore.SECRET_KEY, StandardCharsets.UTF_8));
        HttpResponse<String> page = get(base + "clusters", cookieOf(signedIn));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains(CLUSTER).doesNotContain(InProcessStevedore.SECRET_KEY);
    }

    @Test
    @Order(2)
    void eachWrongSignInIsAnsweredClearlyAndLaterThanTheOneBefore() throws Exception {
        HttpResponse<String> first = signIn("not-the-secret");
        HttpResponse<String> second = signIn("still-not-the-secret");

        assertThat(first.statusCode()).isEqualTo(401);
        assertThat(first.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith(COOKIE + "="));
        assertThat(first.body()).contains("Sign-in failed: the access key ID or the secret access key is wrong")
                .contains("held back 500 ms");
        assertThat(second.body()).contains("held back 1000 ms").doesNotContain("still-not-the-secret");
        // A success forgets the failures (and later tests sign in without a pause).
        assertThat(signIn(InProcessStevedore.SECRET_KEY).statusCode()).isEqualTo(303);
    }

    @Test
    @Order(3)
    void aCookieOfAnotherServerIsRefused() throws Exception {
        String cookie = cookieOf(signIn(InProcessStevedore.SECRET_KEY));
        String csrf = ConsoleUsers.csrfOf(get(base + "clusters/" + CLUSTER, cookie).body());
        // Another server with the same root key pair: only its own cookies are sessions.
        try (InProcessStevedore other = InProcessStevedore.start();
             EcsClient otherEcs = other.ecs()) {
            otherEcs.createCluster(b -> b.clusterName(CLUSTER));
            String otherBase = other.plane.endpoint() + "/console/";

            HttpResponse<String> page = get(otherBase + "clusters", cookie);
            HttpResponse<String> change = post(otherBase + "clusters/" + CLUSTER + "/run", cookie,
                    "taskDefinition=tiny&count=1&_csrf=" + csrf);

            assertThat(page.statusCode()).isEqualTo(303);
            assertThat(page.headers().firstValue("Location")).hasValue("/console/signin");
            assertThat(change.statusCode()).isEqualTo(403);
            assertThat(otherEcs.listTasks(b -> b.cluster(CLUSTER)).taskArns()).isEmpty();
        }
        assertThat(get(base + "clusters", cookie).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void everyFormThatChangesSomethingCarriesTheTokenAndIsRefusedWithoutIt() throws Exception {
        String cookie = cookieOf(signIn(InProcessStevedore.SECRET_KEY));
        String task = ecs.listTasks(b -> b.cluster(CLUSTER)).taskArns().getFirst().replaceAll(".*/", "");
        String cluster = "clusters/" + CLUSTER;
        Set<String> actions = new TreeSet<>();
        for (String page : List.of("clusters", cluster, cluster + "/tasks", cluster + "/tasks/" + task,
                cluster + "/services/web", cluster + "/instances/" + instanceId, "taskdefs", "taskdefs/tiny/1")) {
            HttpResponse<String> answer = get(base + page, cookie);
            assertThat(answer.statusCode()).as(page).isEqualTo(200);
            Matcher form = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\"[^>]*>(.*?)</form>",
                    Pattern.DOTALL).matcher(answer.body());
            while (form.find()) {
                assertThat(form.group(2)).as("form to " + form.group(1) + " on " + page).contains("name=\"_csrf\"");
                actions.add(form.group(1).replace("&amp;", "&"));
            }
        }
        assertThat(actions).containsExactlyInAnyOrder("/console/signout", "/console/" + cluster + "/run",
                "/console/" + cluster + "/tasks/" + task + "/stop", "/console/" + cluster + "/services/web/scale",
                "/console/" + cluster + "/services/web/deploy", "/console/" + cluster + "/instances/" + instanceId,
                "/console/taskdefs/register");
        String fields = "taskDefinition=tiny&count=1&reason=forged&desiredCount=5&status=DRAINING&definition="
                + URLEncoder.encode("{\"family\":\"tiny\",\"containerDefinitions\":[{\"name\":\"main\",\"image\":\"x\","
                + "\"memory\":16}]}", StandardCharsets.UTF_8);

        for (String action : actions) {
            for (String token : List.of("", "&_csrf=forged")) {
                HttpResponse<String> refused = post(server.plane.endpoint() + action, cookie, fields + token);
                assertThat(refused.statusCode()).as(action + token).isEqualTo(403);
                assertThat(refused.body()).as(action + token).contains("CSRF");
            }
        }

        assertThat(ecs.listTasksPaginator(b -> b.cluster(CLUSTER).desiredStatus(DesiredStatus.RUNNING)).taskArns())
                .hasSize(TASKS);
        assertThat(ecs.describeServices(b -> b.cluster(CLUSTER).services("web")).services().getFirst()
                .desiredCount()).isZero();
        assertThat(ecs.describeServices(b -> b.cluster(CLUSTER).services("web")).services().getFirst()
                .deployments()).hasSize(1);
        assertThat(ecs.describeContainerInstances(b -> b.cluster(CLUSTER).containerInstances(instanceId))
                .containerInstances().getFirst().status()).isEqualTo("ACTIVE");
        assertThat(ecs.listTaskDefinitions(b -> b.familyPrefix("tiny")).taskDefinitionArns()).hasSize(1);
        // The refused sign-out left the session alive.
        assertThat(get(base + "clusters", cookie).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(5)
    void tasksOfOneStatusAreFoundBeyondTheFirstHundred() throws Exception {
        String cookie = cookieOf(signIn(InProcessStevedore.SECRET_KEY));
        var firstPage = ecs.listTasks(b -> b.cluster(CLUSTER).desiredStatus(DesiredStatus.RUNNING).maxResults(100));
        // One task that ListTasks names after its first hundred reaches RUNNING; another stops.
        String running = ecs.listTasks(b -> b.cluster(CLUSTER).desiredStatus(DesiredStatus.RUNNING)
                .nextToken(firstPage.nextToken())).taskArns().getLast();
        String stopped = firstPage.taskArns().getFirst();
        ecs.submitTaskStateChange(b -> b.cluster(CLUSTER).task(running).status("RUNNING"));
        ecs.stopTask(b -> b.cluster(CLUSTER).task(stopped).reason("stopped by the test"));
        ecs.submitTaskStateChange(b -> b.cluster(CLUSTER).task(stopped).status("STOPPED"));

        String runningPage = get(base + "clusters/" + CLUSTER + "/tasks?status=RUNNING", cookie).body();
        String stoppedPage = get(base + "clusters/" + CLUSTER + "/tasks?status=STOPPED", cookie).body();
        String pendingPage = get(base + "clusters/" + CLUSTER + "/tasks?status=PENDING", cookie).body();

        assertThat(rows(runningPage)).containsExactly(running.replaceAll(".*/", ""));
        assertThat(rows(stoppedPage)).containsExactly(stopped.replaceAll(".*/", ""));
        assertThat(stoppedPage).contains("stopped by the test");
        // A page of them, and the way on to the rest.
        assertThat(rows(pendingPage)).hasSize(100);
        assertThat(pendingPage).contains("Next 100 tasks");
    }

    @Test
    @Order(6)
    void markupCannotBecomeATagValue() {
        // Tag values are refused at the API (the model's pattern), so no page can show one as markup.
        String arn = ecs.describeClusters(b -> b.clusters(CLUSTER)).clusters().getFirst().clusterArn();

        assertThatThrownBy(() -> ecs.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("owner")
                .value("<script>alert(1)</script>").build())))
                .isInstanceOfSatisfying(EcsException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        assertThat(ecs.listTagsForResource(b -> b.resourceArn(arn)).tags()).isEmpty();
    }

    @Test
    @Order(7)
    void whyATaskIsNotRunningIsShownOnlyToWhomMayDescribeTheCluster() throws Exception {
        ecs.registerTaskDefinition(b -> b.family("huge").containerDefinitions(ContainerDefinition.builder()
                .name("main").image("stevedore-test/busybox:latest").memory(100_000).build()));
        assertThat(ecs.runTask(b -> b.cluster(CLUSTER).taskDefinition("huge")).failures()).hasSize(1);
        String why = base + "clusters/" + CLUSTER + "/why?group=family:huge";
        AccessKey outsider = ConsoleUsers.userAllowed(server, "lister", "\"ecs:ListClusters\"");
        HttpResponse<String> signedIn = ConsoleUsers.signIn(http, base, outsider.accessKeyId(), outsider.secretAccessKey());

        String refused = get(why, cookieOf(signedIn)).body();
        String shown = get(why, cookieOf(signIn(InProcessStevedore.SECRET_KEY))).body();

        assertThat(refused).contains("AccessDeniedException", "ecs:DescribeClusters").doesNotContain("RESOURCE:MEMORY")
                .doesNotContain(instanceId);
        assertThat(shown).contains("RESOURCE:MEMORY", "1 instance lacked memory", "/instances/" + instanceId);
    }

    @Test
    @Order(8)
    void taskDefinitionPagesHearOfNewRevisionsOnAStreamOnlyAUserWhoMayListThemOpens() throws Exception {
        String cookie = cookieOf(signIn(InProcessStevedore.SECRET_KEY));
        assertThat(get(base + "taskdefs", cookie).body()).contains("data-live=\"/console/events?taskdefs=1\"");
        assertThat(get(base + "taskdefs/tiny", cookie).body()).contains("data-live=\"/console/events?taskdefs=1\"");
        HttpResponse<java.util.stream.Stream<String>> stream = http.send(HttpRequest.newBuilder(
                URI.create(base + "events?taskdefs=1")).header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> stream.body().forEach(lines::add));
        try {
            // The stream's store watch starts as it opens: register until a revision lands after it.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                ecs.registerTaskDefinition(b -> b.family("live").containerDefinitions(ContainerDefinition.builder()
                        .name("main").image("stevedore-test/busybox:latest").memory(16).build()));
                return lines.contains("event: change");
            });
        } finally {
            stream.body().close();
            reader.interrupt();
        }

        AccessKey outsider = ConsoleUsers.userAllowed(server, "cluster-lister", "\"ecs:ListClusters\"");
        String outsiderCookie = cookieOf(ConsoleUsers.signIn(http, base, outsider.accessKeyId(),
                outsider.secretAccessKey()));
        HttpResponse<String> refused = get(base + "events?taskdefs=1", outsiderCookie);
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).doesNotStartWith("text/event-stream");
    }

    @Test
    @Order(9)
    void aSignInWithoutTheSignInFormsOwnTokenIsRefused() throws Exception {
        ConsoleUsers.SignInForm form = ConsoleUsers.signInForm(http, base);
        String keys = "&accessKeyId=" + InProcessStevedore.ACCESS_KEY + "&secretAccessKey="
                + URLEncoder.encode(InProcessStevedore.SECRET_KEY, StandardCharsets.UTF_8);
        // A form another site made the browser post: the browser sends no SameSite=Strict cookie with it.
        HttpResponse<String> forged = postSignIn("", "_csrf=" + form.token() + keys);
        HttpResponse<String> noToken = postSignIn(form.cookie(), keys.substring(1));
        HttpResponse<String> otherToken = postSignIn(form.cookie(), "_csrf=" + ConsoleUsers.signInForm(http, base).token() + keys);

        for (HttpResponse<String> refused : List.of(forged, noToken, otherToken)) {
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("did not come from the console's own sign-in form");
            assertThat(refused.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith(COOKIE + "="));
        }
        assertThat(postSignIn(form.cookie(), "_csrf=" + form.token() + keys).statusCode()).isEqualTo(303);
    }

    HttpResponse<String> postSignIn(String cookie, String form) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "signin"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (!cookie.isEmpty()) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The tasks a task list shows, by id. */
    static List<String> rows(String page) {
        List<String> ids = new ArrayList<>();
        Matcher row = Pattern.compile("<tr data-task=\"([^\"]+)\"").matcher(page);
        while (row.find()) {
            ids.add(row.group(1));
        }
        return ids;
    }

    HttpResponse<String> signIn(String secret) throws IOException, InterruptedException {
        return ConsoleUsers.signIn(http, base, InProcessStevedore.ACCESS_KEY, secret);
    }

    static String cookieOf(HttpResponse<String> signedIn) {
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertThat(cookie).startsWith(COOKIE + "=");
        return cookie;
    }

    HttpResponse<String> get(String uri, String cookie) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String uri, String cookie, String form) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
