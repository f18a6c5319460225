package dev.stevedore.e2e;

import dev.stevedore.server.ControlPlane;
import dev.stevedore.server.ControlPlaneConfig;
import dev.stevedore.server.RootCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real control plane started inside the test JVM on a free port, with its own SQLite file, and an
 * unmodified AWS SDK ECS client pointed at it.
 */
final class InProcessStevedore implements AutoCloseable {
    static final String ACCESS_KEY = "AKIASTEVEDORETEST001";
    static final String SECRET_KEY = "stevedore/test/secret/key/0123456789abcd";
    static final String REGION = "us-east-1";
    static final String ACCOUNT = "123456789012";

    final Path dataDir;
    final ControlPlane plane;

    private InProcessStevedore(Path dataDir, ControlPlane plane) {
        this.dataDir = dataDir;
        this.plane = plane;
    }

    static InProcessStevedore start() {
        try {
            return start(Files.createTempDirectory("stevedore-e2e"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InProcessStevedore start(Path dataDir) {
        return start(dataDir, config -> config);
    }

    /** With the configuration changed by {@code adjust} (served Regions, development mode, ...). */
    static InProcessStevedore start(Path dataDir, java.util.function.UnaryOperator<ControlPlaneConfig> adjust) {
        ControlPlane plane = ControlPlane.start(adjust.apply(
                new ControlPlaneConfig("127.0.0.1", 0, dataDir, REGION, ACCOUNT, credentials())));
        return new InProcessStevedore(dataDir, plane);
    }

    /**
     * Listening on {@code host} instead of the loopback address: a host address of the Docker bridge,
     * for containers of the test's own tasks to reach the API.
     */
    static InProcessStevedore startOn(String host, Path dataDir) {
        return new InProcessStevedore(dataDir, ControlPlane.start(
                new ControlPlaneConfig(host, 0, dataDir, REGION, ACCOUNT, credentials())));
    }

    static RootCredentials credentials() {
        return new RootCredentials(ACCESS_KEY, SECRET_KEY, RootCredentials.Source.ENVIRONMENT);
    }

    URI endpoint() {
        return URI.create(plane.endpoint());
    }

    EcsClient ecs() {
        return ecs(ACCESS_KEY, SECRET_KEY);
    }

    /** The test's client, further configured by {@code adjust} (retry mode, interceptors, ...). */
    EcsClient ecs(java.util.function.Consumer<software.amazon.awssdk.services.ecs.EcsClientBuilder> adjust) {
        var builder = builder(ACCESS_KEY, SECRET_KEY, REGION);
        adjust.accept(builder);
        return builder.build();
    }

    EcsClient ecs(String accessKey, String secretKey) {
        return ecs(accessKey, secretKey, REGION);
    }

    /** A client that signs for {@code region}, as an SDK configured for that Region does. */
    EcsClient ecsIn(String region) {
        return ecs(ACCESS_KEY, SECRET_KEY, region);
    }

    private EcsClient ecs(String accessKey, String secretKey, String region) {
        return builder(accessKey, secretKey, region).build();
    }

    private software.amazon.awssdk.services.ecs.EcsClientBuilder builder(String accessKey, String secretKey,
                                                                          String region) {
        return EcsClient.builder()
                .endpointOverride(endpoint())
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
    }

    /** An unmodified AWS SDK ELBv2 client pointed at the same endpoint (the Query protocol). */
    software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client elbv2() {
        return software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client.builder()
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** An unmodified AWS SDK CloudWatch Logs client pointed at the same endpoint. */
    software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient logs(
            java.util.function.Consumer<software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClientBuilder> adjust) {
        var builder = software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient.builder()
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)));
        adjust.accept(builder);
        return builder.build();
    }

    /** An unmodified AWS SDK EC2 client pointed at the same endpoint (EC2's query protocol). */
    Ec2Client ec2() {
        return Ec2Client.builder()
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    String arn(String resource) {
        return arnIn(REGION, resource);
    }

    static String arnIn(String region, String resource) {
        return "arn:aws:ecs:" + region + ":" + ACCOUNT + ":" + resource;
    }

    @Override
    public void close() {
        plane.close();
    }
}
