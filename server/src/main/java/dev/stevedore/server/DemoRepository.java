package dev.stevedore.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.agent.runtime.DockerContainerRuntime;
import dev.stevedore.agent.runtime.RegistryAuth;
import dev.stevedore.awsproto.AwsErrorResponse;
import dev.stevedore.awsproto.AwsJson;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * Puts the demo image into {@code up}'s own registry as the ECR repository {@value #REPOSITORY}, so
 * that the README's first task runs an image of Stevedore's ECR, with nothing from outside this
 * machine: the repository is made (if it is not there yet) and a token got through the ECR API with
 * the root's keys, as a user would with the CLI, then the engine pushes the image. The local agent
 * finds it in the engine under the repository's name, so the task's start pulls nothing; an engine
 * without it pulls it from the registry.
 */
final class DemoRepository {
    static final String REPOSITORY = "stevedore/busybox";
    private static final String ECR = "AmazonEC2ContainerRegistry_V20150921.";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final ServerTarget root;
    private final String registry;

    /** @param registry the registry's {@code host:port} */
    DemoRepository(ServerTarget root, String registry) {
        this.root = root;
        this.registry = registry;
    }

    /** The image's name in the registry. */
    String image() {
        return registry + "/" + REPOSITORY + ":latest";
    }

    /** Pushes {@link DemoImage#IMAGE}, present in the engine, to {@link #image}; says what it did, for {@code up}'s output. */
    String publish(DockerContainerRuntime runtime) {
        try {
            HttpResponse<byte[]> created = ecr("CreateRepository", Map.of("repositoryName", REPOSITORY));
            if (created.statusCode() != 200 && !refusal(created).code().equals("RepositoryAlreadyExistsException")) {
                return "not pushed to " + registry + ": CreateRepository answered " + describe(created);
            }
            HttpResponse<byte[]> token = ecr("GetAuthorizationToken", Map.of());
            if (token.statusCode() != 200) {
                return "not pushed to " + registry + ": GetAuthorizationToken answered " + describe(token);
            }
            JsonNode data = AwsJson.mapper().readTree(token.body()).path("authorizationData").path(0);
            String login = new String(Base64.getDecoder().decode(data.path("authorizationToken").asText()),
                    StandardCharsets.UTF_8);
            int colon = login.indexOf(':');
            runtime.tagImage(DemoImage.IMAGE, image());
            runtime.pushImage(image(), new RegistryAuth(login.substring(0, colon), login.substring(colon + 1)));
            return "pushed to " + image() + " (ECR repository " + REPOSITORY + ")";
        } catch (IOException | RuntimeException e) {
            return "not pushed to " + registry + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "not pushed to " + registry + ": interrupted";
        }
    }

    private HttpResponse<byte[]> ecr(String operation, Map<String, String> request) throws IOException, InterruptedException {
        return RootSignedPost.call(root, "ecr", ECR + operation, AwsJson.toBytes(request), CALL_TIMEOUT);
    }

    private static AwsErrorResponse refusal(HttpResponse<byte[]> response) {
        return AwsErrorResponse.parse(response.headers().firstValue("X-Amzn-ErrorType"), response.body());
    }

    private static String describe(HttpResponse<byte[]> response) {
        AwsErrorResponse error = refusal(response);
        return response.statusCode() + " " + error.code() + ": " + error.message();
    }
}
