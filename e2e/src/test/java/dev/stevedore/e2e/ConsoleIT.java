package dev.stevedore.e2e;

import dev.stevedore.agent.api.AgentCredentials;
import dev.stevedore.agent.channel.ChannelClientSettings;
import dev.stevedore.agent.host.AgentConfig;
import dev.stevedore.agent.host.AgentHost;
import dev.stevedore.agent.runtime.DockerContainerRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.ContainerInstance;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LogConfiguration;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web console in headless Chromium (Debian's chromium and chromium-driver, driven by Selenium),
 * against one server and two real agents (both in the test's JVM, on the local Docker engine): sign in, the cluster at a glance, a task run
 * from the console reaching RUNNING with no reload, its CPU and memory charted as its agent's samples arrive (every
 * second here), and stopped with its reason, markup in a task
 * definition shown as text. Each page's screenshot is kept under {@code e2e/target/console-screenshots}.
 * The guards a script would try (cookie flags, CSRF on every form, another server's cookie) are
 * {@link ConsoleGuardsIT}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@UsesDockerEngine
class ConsoleIT {
    static final String IMAGE = "stevedore-test/busybox:latest";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Duration STATS_INTERVAL = Duration.ofSeconds(1);
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    static final String SCRIPT = "<script>window.pwned = 1</script>";
    final String cluster = "console-" + Long.toHexString(System.nanoTime());
    InProcessStevedore server;
    EcsClient ecs;
    DockerContainerRuntime docker;
    AgentHost agentA;
    AgentHost agentB;
    WebDriver browser;
    String base;
    String taskId;

    @BeforeAll
    void start() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path root = Files.createTempDirectory("stevedore-console");
        server = InProcessStevedore.start(root.resolve("server"));
        base = server.plane.endpoint() + "/console/";
        ecs = server.ecs();
        ecs.createCluster(b -> b.clusterName(cluster));
        // In this JVM, as up's agents are: two more JVMs would double the class's time on a busy machine.
        docker = DockerContainerRuntime.connectDefault();
        agentA = agent(root.resolve("agent-a"), "i-00000000000c0a01", "us-east-1a");
        agentB = agent(root.resolve("agent-b"), "i-00000000000c0b01", "us-east-1b");
        ecs.registerTaskDefinition(b -> b.family("sleeper").containerDefinitions(ContainerDefinition.builder()
                .name("main").image(IMAGE).memory(16)
                .portMappings(PortMapping.builder().containerPort(8080).hostPort(0).build())
                // Ends at once on SIGTERM (a plain sleep as PID 1 ignores it until Docker's stop timeout).
                .command("sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait").build()));
        ecs.registerTaskDefinition(b -> b.family("markup").containerDefinitions(ContainerDefinition.builder()
                .name("main").image(IMAGE).memory(16).command("sleep", "1")
                .environment(KeyValuePair.builder().name("GREETING").value(SCRIPT).build()).build()));
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).build(), options);
        await().atMost(WAIT).until(() -> connected().size() == 2);
    }

    AgentHost agent(Path dataDir, String instanceId, String zone) {
        try {
            return AgentHost.start(AgentConfig.of(server.endpoint(), InProcessStevedore.REGION,
                    AgentCredentials.of(InProcessStevedore.ACCESS_KEY, InProcessStevedore.SECRET_KEY), cluster, dataDir)
                    .withInstanceId(Optional.of(instanceId))
                    .withAttributes(Map.of("ecs.availability-zone", zone))
                    .withResources(OptionalInt.of(1024), OptionalInt.of(512))
                    // Charts get their first point after two samplings: 1 s apart here, not 10.
                    .withChannel(ChannelClientSettings.defaults().withStatsInterval(STATS_INTERVAL)),
                    docker, Clock.systemUTC());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {browser == null ? null : browser::quit, agentA, agentB, docker, ecs,
                server}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("closing: " + e);
            }
        }
        Docker.removeCluster("arn:aws:ecs:" + InProcessStevedore.REGION + ":" + InProcessStevedore.ACCOUNT
                + ":cluster/" + cluster);
    }

    List<ContainerInstance> connected() {
        List<String> arns = ecs.listContainerInstances(b -> b.cluster(cluster)).containerInstanceArns();
        return arns.isEmpty() ? List.of() : ecs.describeContainerInstances(b -> b.cluster(cluster)
                .containerInstances(arns)).containerInstances().stream().filter(ContainerInstance::agentConnected).toList();
    }

    void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    String text(String id) {
        return read(By.id(id));
    }

    /** The element's text, found again if a live update replaced it meanwhile. */
    String read(By element) {
        return waiting().until(b -> b.findElement(element).getText());
    }

    /** A live update swaps the page's content, so an element read a moment ago may be gone: read it again. */
    FluentWait<WebDriver> waiting() {
        return new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class);
    }

    /**
     * Clicks a form's submit button and waits until the page the post leads to has loaded: a click does not
     * always wait for the navigation, and a mark or a read made before it lands on the old page (seen in CI).
     */
    void submit(By button) {
        ((JavascriptExecutor) browser).executeScript("window.beforeSubmit = true;");
        browser.findElement(button).click();
        waiting().until(b -> Boolean.TRUE.equals(((JavascriptExecutor) b).executeScript(
                "return window.beforeSubmit !== true && document.readyState === 'complete';")));
    }

    /** Marks the loaded document (the mark is gone if the page is loaded again) once its stream is open. */
    void markDocument() {
        ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");
        waiting().until(b -> "open".equals(b.findElement(By.id("live")).getDomAttribute("data-stream")));
    }

    boolean documentStillMarked() {
        return Boolean.TRUE.equals(((JavascriptExecutor) browser).executeScript("return window.notReloaded === true;"));
    }

    void signIn(String secret) {
        browser.get(base + "signin");
        browser.findElement(By.id("accessKeyId")).sendKeys(InProcessStevedore.ACCESS_KEY);
        browser.findElement(By.id("secretAccessKey")).sendKeys(secret);
        browser.findElement(By.id("signin")).click();
    }

    @Test
    @Order(1)
    void wrongKeysGetAClearMessageAndTheRightOnesSignIn() throws IOException {
        // The answer to a wrong pair comes after a pause (0.5 s, growing), and a click does not wait for
        // the navigation it starts: wait for the answer's page, not the one the click was made on.
        signIn("not-the-secret");
        waiting().until(b -> b.getPageSource().contains("Sign-in failed"));
        screenshot("01-sign-in-refused");

        signIn(InProcessStevedore.SECRET_KEY);

        waiting().until(b -> b.getCurrentUrl().endsWith("/console/clusters"));
        assertThat(text("clusters")).contains(cluster);
        assertThat(browser.getPageSource()).doesNotContain(InProcessStevedore.SECRET_KEY);
        assertThat(browser.getCurrentUrl()).doesNotContain(InProcessStevedore.SECRET_KEY);
        org.openqa.selenium.Cookie session = browser.manage().getCookieNamed("stevedore-console");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        screenshot("02-clusters");
    }

    @Test
    @Order(2)
    void theClusterShowsItsTwoConnectedAgents() throws IOException {
        ecs.tagResource(b -> b.resourceArn(ecs.describeClusters(c -> c.clusters(cluster)).clusters().getFirst()
                .clusterArn()).tags(Tag.builder().key("team").value("payments/eu@a+b=c").build()));
        browser.get(base + "clusters/" + cluster);

        List<String> agents = waiting().until(b -> b.findElements(By.cssSelector("#instances tr td:nth-child(3)"))
                .stream().map(WebElement::getText).toList());
        assertThat(agents).containsExactly("connected", "connected");
        assertThat(text("instances")).contains("us-east-1a", "us-east-1b", "of 512 MiB reserved");
        assertThat(text("tags")).contains("team", "payments/eu@a+b=c");
        screenshot("03-cluster");
    }

    @Test
    @Order(3)
    void aTaskRunFromTheConsoleReachesRunningWithoutAReload() throws IOException {
        browser.get(base + "clusters/" + cluster);
        new Select(browser.findElement(By.id("run-family"))).selectByValue("sleeper");
        browser.findElement(By.id("run")).click();
        waiting().until(b -> b.getCurrentUrl().contains("/tasks/"));
        taskId = browser.getCurrentUrl().substring(browser.getCurrentUrl().lastIndexOf('/') + 1);
        markDocument();

        waiting().until(b -> text("last-status").equals("RUNNING"));

        assertThat(documentStillMarked()).isTrue();
        assertThat(ecs.describeTasks(b -> b.cluster(cluster).tasks(taskId)).tasks().getFirst().startedBy())
                .isEqualTo("console");
        assertThat(text("containers")).containsPattern("\\d+ → 8080/tcp");
        screenshot("04-task-running");
        browser.get(base + "clusters/" + cluster + "/tasks?status=RUNNING&family=sleeper");
        assertThat(read(By.cssSelector("tr[data-task='" + taskId + "']"))).contains("RUNNING");
        screenshot("05-tasks");
        browser.get(base + "clusters/" + cluster + "/tasks?family=markup");
        assertThat(browser.findElements(By.cssSelector("tr[data-task]"))).isEmpty();
        String host = ecs.describeTasks(b -> b.cluster(cluster).tasks(taskId)).tasks().getFirst().containerInstanceArn();
        for (ContainerInstance i : connected()) {
            browser.get(base + "clusters/" + cluster + "/tasks?instance=" + i.containerInstanceArn().replaceAll(".*/", ""));
            assertThat(browser.findElements(By.cssSelector("tr[data-task='" + taskId + "']")))
                    .hasSize(i.containerInstanceArn().equals(host) ? 1 : 0);
        }
        browser.get(base + "clusters/" + cluster);
        assertThat(text("tasks-by-status")).contains("RUNNING 1");
    }

    @Test
    @Order(4)
    void aRunningTasksChartsPlotItsSamplesAsTheyArrive() throws IOException {
        browser.get(base + "clusters/" + cluster + "/tasks/" + taskId);
        markDocument();

        // Drawn when the agent's samples arrive, pushed to the page as "stats" events: no reload.
        waiting().until(b -> samplesIn("cpu-chart") >= 1 && samplesIn("memory-chart") >= 1);

        assertThat(documentStillMarked()).isTrue();
        assertThat(read(By.cssSelector("#live .charts"))).contains("CPU", "Memory", "limit 16 MiB");
        assertThat(browser.findElements(By.cssSelector("#memory-chart line.limit"))).hasSize(1);
        screenshot("04b-task-charts");
    }

    /** How many samples the chart plots; 0 while it is the sentence saying there are none yet. */
    int samplesIn(String chart) {
        List<WebElement> found = browser.findElements(By.cssSelector("svg#" + chart));
        return found.isEmpty() ? 0 : Integer.parseInt(found.getFirst().getDomAttribute("data-samples"));
    }

    @Test
    @Order(5)
    void stoppingItShowsTheStoppedReasonLive() throws IOException {
        browser.get(base + "clusters/" + cluster + "/tasks/" + taskId);
        browser.findElement(By.name("reason")).clear();
        browser.findElement(By.name("reason")).sendKeys("done with <b>it</b>");
        submit(By.id("stop"));
        markDocument();

        waiting().until(b -> text("last-status").equals("STOPPED"));

        assertThat(documentStillMarked()).isTrue();
        assertThat(text("stopped-reason")).isEqualTo("done with <b>it</b>");
        // Its container's exit code (the trap's 0) comes with the task's stop, or just after it.
        waiting().until(b -> read(By.cssSelector("#containers tr:nth-child(2) td:nth-child(4)")).equals("0"));
        screenshot("06-task-stopped");
        browser.get(base + "clusters/" + cluster + "/tasks/" + taskId + "/logs");
        assertThat(text("live")).contains("json-file");
        screenshot("07-task-logs");
    }

    @Test
    @Order(6)
    void markupInATaskDefinitionIsShownAsText() throws IOException {
        browser.get(base + "taskdefs/markup/1");

        assertThat(text("definition-json")).contains(SCRIPT);
        assertThat(((JavascriptExecutor) browser).executeScript("return typeof window.pwned;")).isEqualTo("undefined");
        assertThat(browser.findElements(By.cssSelector("#live script"))).isEmpty();
        screenshot("08-task-definition");
    }

    @Test
    @Order(7)
    void anEditedRevisionIsRegisteredAndDiffed() throws IOException {
        browser.get(base + "taskdefs/sleeper/1");
        browser.findElement(By.tagName("summary")).click();
        WebElement edit = browser.findElement(By.id("definition-edit"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[0].value.replace('600', '900');",
                edit);
        browser.findElement(By.id("register")).click();

        waiting().until(b -> b.getCurrentUrl().contains("/taskdefs/sleeper/2"));
        assertThat(text("definition-json")).contains("900");
        browser.get(base + "taskdefs/sleeper/diff?a=1&b=2");
        assertThat(read(By.cssSelector("#diff .removed"))).contains("600");
        assertThat(read(By.cssSelector("#diff .added"))).contains("900");
        screenshot("09-task-definition-diff");
        browser.get(base + "taskdefs/sleeper");
        assertThat(text("revisions")).contains("sleeper:2", "sleeper:1");
        screenshot("10-task-definition-revisions");
        browser.get(base + "taskdefs");
        assertThat(text("families")).contains("sleeper", "markup");
        screenshot("10b-task-definitions");
    }

    @Test
    @Order(8)
    void aServiceIsScaledFromItsPage() throws IOException {
        ecs.createService(b -> b.cluster(cluster).serviceName("web").taskDefinition("sleeper:1").desiredCount(0)
                .tags(Tag.builder().key("tier").value("web").build())
                .deploymentConfiguration(c -> c.deploymentCircuitBreaker(cb -> cb.enable(true).rollback(true))));
        browser.get(base + "clusters/" + cluster + "/services/web");
        WebElement count = browser.findElement(By.name("desiredCount"));
        count.clear();
        count.sendKeys("1");
        submit(By.id("scale"));
        markDocument();

        waiting().until(b -> text("deployments").contains("1 running, 0 pending of 1"));
        // The service's charts sum its running tasks' samples.
        waiting().until(b -> samplesIn("cpu-chart") >= 1);

        assertThat(documentStillMarked()).isTrue();
        assertThat(read(By.cssSelector("#live .charts"))).contains("limit of running tasks 16 MiB");
        assertThat(text("events")).contains("(service web) has started 1 tasks");
        assertThat(text("tags")).contains("tier", "web");
        assertThat(text("breaker-state")).matches("MONITORING(_COMPLETE)?: 0 failed tasks of a threshold of \\d+");
        screenshot("11-service");
        String before = ecs.describeServices(b -> b.cluster(cluster).services("web")).services().getFirst()
                .deployments().getFirst().id();
        browser.findElement(By.linkText("Tasks of this service")).click();
        waiting().until(b -> b.getCurrentUrl().contains("service=web"));
        assertThat(browser.findElements(By.cssSelector("tr[data-task]"))).isNotEmpty()
                .allSatisfy(row -> assertThat(row.getText()).contains("service:web"));
        browser.get(base + "clusters/" + cluster + "/services/web");
        submit(By.id("force-deployment"));
        assertThat(text("live")).contains("New deployment started");
        assertThat(ecs.describeServices(b -> b.cluster(cluster).services("web")).services().getFirst().deployments()
                .stream().filter(d -> d.status().equals("PRIMARY")).findFirst().orElseThrow().id()).isNotEqualTo(before);
        ecs.updateService(b -> b.cluster(cluster).service("web").desiredCount(0));
    }

    @Test
    @Order(9)
    void aTaskThatFitsNowhereIsExplained() throws IOException {
        ecs.registerTaskDefinition(b -> b.family("huge").containerDefinitions(ContainerDefinition.builder()
                .name("main").image(IMAGE).memory(4096).build()));
        ecs.runTask(b -> b.cluster(cluster).taskDefinition("huge"));

        browser.get(base + "clusters/" + cluster + "/why?group=family:huge");

        // Each filter's rejections and the closest instance, in words.
        assertThat(text("why")).contains("RESOURCE:MEMORY", "2 instances lacked memory");
        assertThat(read(By.cssSelector("#why a"))).startsWith("i-00000000000c0");
        screenshot("12-why-not-running");
        browser.get(base + "clusters/" + cluster + "/instances/"
                + connected().getFirst().containerInstanceArn().replaceAll(".*/", ""));
        submit(By.id("instance-state"));
        assertThat(browser.getPageSource()).contains("DRAINING");
        screenshot("13-instance");
        submit(By.id("instance-state"));
        assertThat(text("live")).contains("ACTIVE");
    }

    @Test
    @Order(11)
    void anIamUserSeesWhatTheirPolicyAllowsAndIsRefusedTheRest() throws Exception {
        AccessKey key = ConsoleUsers.userAllowed(server, "console-reader", "\"ecs:List*\",\"ecs:Describe*\"");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> signedIn = ConsoleUsers.signIn(http, base, key.accessKeyId(), key.secretAccessKey());
        assertThat(signedIn.statusCode()).isEqualTo(303);
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertThat(cookie).doesNotContain(key.secretAccessKey());

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "clusters/" + cluster))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("console-reader", "i-00000000000c0a01").doesNotContain(key.secretAccessKey());
        java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"")
                .matcher(page.body());
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> run = http.send(HttpRequest.newBuilder(URI.create(base + "clusters/" + cluster + "/run"))
                .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("taskDefinition=sleeper&count=1&_csrf=" + csrf.group(1)))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(run.statusCode()).isEqualTo(303);
        assertThat(java.net.URLDecoder.decode(run.headers().firstValue("Location").orElseThrow(),
                java.nio.charset.StandardCharsets.UTF_8)).contains("AccessDeniedException", "ecs:RunTask");
    }

    @Test
    @Order(20)
    void signingOutEndsTheSession() throws Exception {
        String cookie = browser.manage().getCookieNamed("stevedore-console").getValue();
        browser.get(base + "clusters");

        submit(By.id("signout"));

        assertThat(browser.getCurrentUrl()).endsWith("/console/signin");
        HttpResponse<String> replayed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(base + "clusters")).header("Cookie", "stevedore-console=" + cookie).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(replayed.statusCode()).isEqualTo(303);
        assertThat(replayed.headers().firstValue("Location")).hasValue("/console/signin");
    }

    @Test
    @Order(12)
    void aTaskLogsShippedWithAwslogsAreFollowedLive() throws IOException {
        String role;
        try (IamClient iam = ConsoleUsers.rootIam(server)) {
            role = iam.createRole(b -> b.roleName("console-logs").assumeRolePolicyDocument(
                    TaskRoleOnDockerIT.trustedBy("ecs-tasks.amazonaws.com"))).role().arn();
            iam.putRolePolicy(b -> b.roleName("console-logs").policyName("ship").policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                            + "[\"logs:CreateLogStream\",\"logs:PutLogEvents\"],\"Resource\":\"*\"}]}"));
        }
        try (CloudWatchLogsClient logs = CloudWatchLogsClient.builder().endpointOverride(server.endpoint())
                .region(Region.US_EAST_1).credentialsProvider(ConsoleUsers.rootCredentials()).build()) {
            logs.createLogGroup(b -> b.logGroupName("/console/ticker"));
        }
        ecs.registerTaskDefinition(b -> b.family("ticker").executionRoleArn(role).containerDefinitions(
                ContainerDefinition.builder().name("app").image(IMAGE).memory(16).stopTimeout(2)
                        .logConfiguration(LogConfiguration.builder().logDriver("awslogs").options(Map.of(
                                "awslogs-group", "/console/ticker", "awslogs-region", InProcessStevedore.REGION,
                                "awslogs-stream-prefix", "console")).build())
                        .command("sh", "-c", "i=1; while true; do echo tick-$i '<i>'; i=$((i+1)); sleep 1; done")
                        .build()));
        String task = ecs.runTask(b -> b.cluster(cluster).taskDefinition("ticker")).tasks().getFirst().taskArn()
                .replaceAll(".*/", "");
        await().atMost(WAIT).until(() -> ecs.describeTasks(b -> b.cluster(cluster).tasks(task)).tasks().getFirst()
                .lastStatus().equals("RUNNING"));

        browser.get(base + "clusters/" + cluster + "/tasks/" + task + "/logs");
        ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");
        waiting().until(b -> "open".equals(b.findElement(By.id("follow")).getDomAttribute("data-stream")));
        int shown = read(By.cssSelector("pre.log")).split("tick-").length;
        waiting().until(b -> b.findElement(By.cssSelector("pre.log")).getText().split("tick-").length > shown + 1);

        assertThat(documentStillMarked()).isTrue();
        assertThat(read(By.cssSelector("pre.log"))).contains("tick-1 <i>");
        assertThat(browser.findElements(By.cssSelector("pre.log i"))).isEmpty();
        screenshot("14-task-logs-awslogs");
        ecs.stopTask(b -> b.cluster(cluster).task(task));
    }

    @Test
    @Order(13)
    void aTaskLogsKeptOnItsHostAreFollowedLiveAndOnlyForWhomMayDescribeIt() throws Exception {
        ecs.registerTaskDefinition(b -> b.family("chatter").containerDefinitions(ContainerDefinition.builder()
                .name("app").image(IMAGE).memory(16).stopTimeout(2)
                .command("sh", "-c", "i=1; while true; do echo line-$i '<b>'; i=$((i+1)); sleep 1; done").build()));
        String task = ecs.runTask(b -> b.cluster(cluster).taskDefinition("chatter")).tasks().getFirst().taskArn()
                .replaceAll(".*/", "");
        await().atMost(WAIT).until(() -> ecs.describeTasks(b -> b.cluster(cluster).tasks(task)).tasks().getFirst()
                .lastStatus().equals("RUNNING"));
        String logsPage = base + "clusters/" + cluster + "/tasks/" + task + "/logs";

        browser.get(logsPage);
        ((JavascriptExecutor) browser).executeScript("window.notReloaded = true;");
        waiting().until(b -> "open".equals(b.findElement(By.id("follow")).getDomAttribute("data-stream")));
        int shown = read(By.cssSelector("pre.log")).split("line-").length;
        waiting().until(b -> b.findElement(By.cssSelector("pre.log")).getText().split("line-").length > shown + 1);

        assertThat(documentStillMarked()).isTrue();
        assertThat(text("live")).contains("json-file");
        assertThat(read(By.cssSelector("pre.log"))).contains("line-1 <b>");
        assertThat(browser.findElements(By.cssSelector("pre.log b"))).isEmpty();
        screenshot("15-task-logs-json-file");

        AccessKey key = ConsoleUsers.userAllowed(server, "console-no-tasks",
                "\"ecs:List*\",\"ecs:DescribeClusters\",\"ecs:DescribeTaskDefinition\"");
        HttpClient http = HttpClient.newHttpClient();
        String cookie = ConsoleUsers.signIn(http, base, key.accessKeyId(), key.secretAccessKey()).headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(logsPage)).header("Cookie", cookie)
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> followed = http.send(HttpRequest.newBuilder(URI.create(base + "events?cluster=" + cluster
                        + "&logs=" + task + "&h.app=0")).header("Cookie", cookie).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());

        HttpResponse<String> taskPage = http.send(HttpRequest.newBuilder(URI.create(base + "clusters/" + cluster
                + "/tasks/" + task)).header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(page.body()).contains("AccessDeniedException", "ecs:DescribeTasks").doesNotContain("line-1");
        assertThat(taskPage.body()).contains("AccessDeniedException", "ecs:DescribeTasks").doesNotContain("chart");
        assertThat(followed.body()).doesNotContain("line-");
        ecs.stopTask(b -> b.cluster(cluster).task(task));
    }

    @Test
    @Order(14)
    void aClusterOfManyHostsListsThemAHundredAPage() throws IOException {
        String many = cluster + "-many";
        ApiHosts.register(ecs, many, 101, 1024, 512);

        browser.get(base + "clusters/" + many);
        List<WebElement> first = browser.findElements(By.cssSelector("#instances tr td:first-child"));
        browser.findElement(By.linkText("Next 100 instances")).click();
        waiting().until(b -> b.getCurrentUrl().contains("from="));
        List<WebElement> second = browser.findElements(By.cssSelector("#instances tr td:first-child"));

        assertThat(first).hasSize(100);
        assertThat(second).hasSize(1);
        assertThat(browser.findElements(By.linkText("Next 100 instances"))).isEmpty();
        assertThat(text("instance-pages")).contains("First page");
        screenshot("16-cluster-instances-second-page");
    }
}
