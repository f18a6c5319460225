package dev.stevedore.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.awsproto.CredentialsLookup;
import dev.stevedore.awsproto.Headers;
import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.HttpResponse;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.awsproto.SigV4Credentials;
import dev.stevedore.awsproto.SigV4Signer;
import dev.stevedore.awsproto.SigV4Verifier;
import dev.stevedore.awsproto.SigningIdentity;
import dev.stevedore.control.ec2.VpcDirectory;
import dev.stevedore.control.elb.ElbApi;
import dev.stevedore.control.elb.TargetRef;
import dev.stevedore.control.elb.loadbalancer.LoopbackAddresses;
import dev.stevedore.lb.ReadingsReport;
import dev.stevedore.lb.config.ProxyConfig;
import dev.stevedore.lb.config.ProxyConfigJson;
import dev.stevedore.server.lb.ExternalDataPlanes;
import dev.stevedore.store.InMemoryStateStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoadBalancerProcessEndpointTest {
    private static final String ACCOUNT = "000000000000";
    private static final SigV4Credentials ROOT = new SigV4Credentials("AKIAROOTROOTROOTROOT", "root-secret", Optional.empty());
    private static final SigV4Credentials USER = new SigV4Credentials("AKIAUSERUSERUSERUSER", "user-secret", Optional.empty());

    private final Clock clock = Clock.systemUTC();
    private final InMemoryStateStore store = new InMemoryStateStore();
    private final ExternalDataPlanes planes = new ExternalDataPlanes(store, clock);
    private final SigV4Verifier verifier = new SigV4Verifier(CredentialsLookup.of(List.of(
            new SigningIdentity(ROOT.accessKeyId(), ROOT.secretAccessKey(), Optional.empty(),
                    new Principal(ACCOUNT, ROOT.accessKeyId(), "arn:aws:iam::" + ACCOUNT + ":root")),
            new SigningIdentity(USER.accessKeyId(), USER.secretAccessKey(), Optional.empty(),
                    new Principal(ACCOUNT, USER.accessKeyId(), "arn:aws:iam::" + ACCOUNT + ":user/ops")))), clock);
    private final LoadBalancerProcessEndpoint endpoint =
            new LoadBalancerProcessEndpoint(Optional.of(planes), verifier, ACCOUNT);

    @AfterEach
    void close() {
        planes.close();
        store.close();
    }

    private HttpRequest signed(SigV4Credentials as, String method, String path, byte[] body) {
        URI uri = URI.create("http://127.0.0.1:9400" + path);
        Headers headers = new SigV4Signer(as, "us-east-1", "elasticloadbalancing")
                .sign(method, uri, Headers.empty(), body, clock.instant()).with("Host", "127.0.0.1:9400");
        return new HttpRequest(method, path, "", headers, body);
    }

    @Test
    void theRootGetsTheStreamWhichOpensWithTheWholeConfiguration() throws Exception {
        planes.start(new ElbApi(store, clock, new VpcDirectory(store), planes, LoopbackAddresses.DEFAULT_POOL).snapshots());

        var stream = endpoint.stream(signed(ROOT, "GET", LoadBalancerProcessEndpoint.CONFIG, new byte[0]));

        assertThat(stream).isPresent();
        CompletableFuture<String> first = new CompletableFuture<>();
        Thread runner = Thread.ofVirtual().start(() -> {
            try {
                stream.get().run(new EventStream.Sink() {
                    @Override
                    public boolean open() {
                        return !first.isDone();
                    }

                    @Override
                    public void send(String event, String data) {
                        first.complete(event + " " + data);
                    }

                    @Override
                    public void keepAlive() {
                    }
                });
            } catch (InterruptedException | RuntimeException e) {
                first.completeExceptionally(e);
            }
        });
        String event = first.get(30, TimeUnit.SECONDS);
        runner.interrupt();
        assertThat(event).startsWith(ExternalDataPlanes.CONFIG_EVENT + " ");
        assertThat(ProxyConfigJson.decode(event.substring(event.indexOf(' ') + 1))).isEqualTo(ProxyConfig.empty());
    }

    @Test
    void anyoneButTheRootIsRefusedBothPaths() {
        HttpRequest get = signed(USER, "GET", LoadBalancerProcessEndpoint.CONFIG, new byte[0]);
        assertThat(endpoint.stream(get)).isEmpty();
        assertThat(endpoint.handle(get).status()).isEqualTo(403);

        byte[] report = new ReadingsReport("lb-1", List.of()).toJson().getBytes(StandardCharsets.UTF_8);
        HttpResponse refused = endpoint.handle(signed(USER, "POST", LoadBalancerProcessEndpoint.READINGS, report));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("Only the root");
        assertThat(endpoint.handle(new HttpRequest("POST", LoadBalancerProcessEndpoint.READINGS, "", Headers.empty(),
                report)).status()).isEqualTo(403);
        assertThat(planes.reportingProcesses()).isZero();
    }

    @Test
    void theRootsReportIsTakenAndAMalformedOneRefused() {
        byte[] report = new ReadingsReport("lb-1", List.of()).toJson().getBytes(StandardCharsets.UTF_8);
        assertThat(endpoint.handle(signed(ROOT, "POST", LoadBalancerProcessEndpoint.READINGS, report)).status())
                .isEqualTo(200);
        assertThat(planes.reportingProcesses()).isEqualTo(1);
        assertThat(planes.reading("arn:none", new TargetRef("i-0", 80))).isEmpty();

        byte[] malformed = "{\"readings\":[]}".getBytes(StandardCharsets.UTF_8);
        assertThat(endpoint.handle(signed(ROOT, "POST", LoadBalancerProcessEndpoint.READINGS, malformed)).status())
                .isEqualTo(400);
    }

    @Test
    void aServerThatServesItsOwnDataPlaneSaysHowToStartOneThatDoesNot() {
        LoadBalancerProcessEndpoint inProcess = new LoadBalancerProcessEndpoint(Optional.empty(), verifier, ACCOUNT);
        HttpRequest get = signed(ROOT, "GET", LoadBalancerProcessEndpoint.CONFIG, new byte[0]);

        assertThat(inProcess.stream(get)).isEmpty();
        HttpResponse answer = inProcess.handle(get);
        assertThat(answer.status()).isEqualTo(404);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("--lb external");
    }
}
