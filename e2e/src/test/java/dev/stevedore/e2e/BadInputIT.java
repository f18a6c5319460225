package dev.stevedore.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.EcsException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad input of every kind gets a 4xx AWS-style error, changes nothing, and the server keeps serving.
 */
class BadInputIT {
    static InProcessStevedore stevedore;
    static RawEcs raw;
    static EcsClient ecs;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        stevedore = InProcessStevedore.start();
        raw = new RawEcs(stevedore.endpoint());
        ecs = stevedore.ecs();
    }

    @AfterAll
    static void stop() {
        ecs.close();
        stevedore.close();
    }

    static JsonNode errorOf(RawAws.Response r) throws Exception {
        assertThat(r.status()).as(r.body()).isBetween(400, 499);
        assertThat(r.header("x-amzn-RequestId")).isNotBlank();
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("__type").asText()).isNotBlank();
        assertThat(body.get("message").asText()).isNotBlank();
        return body;
    }

    @Test
    void aWellFormedSignedCallWorks() throws Exception {
        RawAws.Response r = raw.call("ListClusters", "{}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/x-amz-json-1.1");
        assertThat(JSON.readTree(r.body()).get("clusterArns")).isNotNull();
    }

    @Test
    void malformedJsonIsASerializationException() throws Exception {
        assertThat(errorOf(raw.call("CreateCluster", "{\"clusterName\": ")).get("__type").asText())
                .isEqualTo("SerializationException");
        assertThat(errorOf(raw.call("CreateCluster", "[1,2,3]")).get("__type").asText())
                .isEqualTo("SerializationException");
    }

    @Test
    void garbageBytesAreRefused() throws Exception {
        List<String> before = ecs.listClusters().clusterArns();
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        errorOf(raw.callBytes("CreateCluster", "application/x-amz-json-1.1", garbage));
        assertThat(ecs.listClusters().clusterArns()).isEqualTo(before);
    }

    @Test
    void wrongMemberTypesAreRefusedAndCreateNothing() throws Exception {
        errorOf(raw.call("CreateCluster", "{\"clusterName\": 12}"));
        errorOf(raw.call("CreateCluster", "{\"clusterName\": \"typed\", \"tags\": \"nope\"}"));
        errorOf(raw.call("RegisterTaskDefinition",
                "{\"family\": \"typed\", \"containerDefinitions\": [{\"name\": \"a\", \"image\": \"x\", \"memory\": \"lots\"}]}"));
        assertThat(ecs.listClusters().clusterArns()).noneMatch(a -> a.endsWith("/typed"));
        assertThat(ecs.listTaskDefinitionFamilies().families()).doesNotContain("typed");
    }

    @Test
    void missingRequiredMembersAreRefused() throws Exception {
        JsonNode e = errorOf(raw.call("RegisterTaskDefinition", "{\"family\": \"no-containers\"}"));
        assertThat(e.get("message").asText()).contains("containerDefinitions");
        assertThat(ecs.listTaskDefinitionFamilies().families()).doesNotContain("no-containers");
    }

    @Test
    void outOfRangeAndBadEnumValuesAreRefused() throws Exception {
        errorOf(raw.call("ListClusters", "{\"maxResults\": 0}"));
        errorOf(raw.call("ListClusters", "{\"maxResults\": 101}"));
        errorOf(raw.call("DescribeClusters", "{\"include\": [\"EVERYTHING\"]}"));
    }

    @Test
    void hugeBodiesAreRefusedBeforeTheyAreRead() throws Exception {
        List<String> before = ecs.listClusters().clusterArns();
        String big = "{\"clusterName\": \"huge\", \"tags\": [" + "{\"key\": \"k\", \"value\": \"v\"},".repeat(100_000)
                + "{\"key\": \"k\", \"value\": \"v\"}]}";
        RawAws.Response r = raw.call("CreateCluster", big);
        assertThat(r.status()).isBetween(400, 499);
        assertThat(ecs.listClusters().clusterArns()).isEqualTo(before);
    }

    @Test
    void deeplyNestedBodiesAreRefused() throws Exception {
        String deep = "{\"clusterName\": \"deep\", \"configuration\": " + "[".repeat(5000) + "]".repeat(5000) + "}";
        errorOf(raw.call("CreateCluster", deep));
        assertThat(ecs.listClusters().clusterArns()).noneMatch(a -> a.endsWith("/deep"));
    }

    @Test
    void unknownOperationsAndWrongContentTypesAreRefused() throws Exception {
        assertThat(errorOf(raw.call("LaunchRockets", "{}")).get("__type").asText())
                .isEqualTo("UnknownOperationException");
        errorOf(raw.callBytes("ListClusters", "text/plain", "{}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void unsignedRequestsAreRefusedBeforeAnyHandlerRuns() throws Exception {
        RawAws.Response r = raw.unsigned("CreateCluster", "{\"clusterName\": \"unsigned\"}");
        assertThat(r.status()).isBetween(400, 403);
        assertThat(JSON.readTree(r.body()).get("__type").asText()).isEqualTo("MissingAuthenticationTokenException");
        assertThat(ecs.listClusters().clusterArns()).noneMatch(a -> a.endsWith("/unsigned"));
    }

    @Test
    void wrongKeysAreRefusedWithTheCodesAwsUses() {
        try (EcsClient unknown = stevedore.ecs("AKIAUNKNOWNKEY000000", InProcessStevedore.SECRET_KEY);
             EcsClient wrongSecret = stevedore.ecs(InProcessStevedore.ACCESS_KEY, "not-the-secret")) {
            assertThatThrownBy(() -> unknown.createCluster(b -> b.clusterName("intruder")))
                    .isInstanceOfSatisfying(EcsException.class, e ->
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException"));
            assertThatThrownBy(() -> wrongSecret.createCluster(b -> b.clusterName("intruder")))
                    .isInstanceOfSatisfying(EcsException.class, e ->
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException"));
        }
        assertThat(ecs.listClusters().clusterArns()).noneMatch(a -> a.endsWith("/intruder"));
    }
}
