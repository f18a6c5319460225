package dev.stevedore.agent.api;

import dev.stevedore.agent.engine.SecretStores;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.SigV4Credentials;
import dev.stevedore.model.agent.TaskCredentials;
import dev.stevedore.model.secretsmanager.GetSecretValueRequest;
import dev.stevedore.model.secretsmanager.GetSecretValueResponse;
import dev.stevedore.model.ssm.GetParametersRequest;
import dev.stevedore.model.ssm.GetParametersResult;
import dev.stevedore.model.ssm.Parameter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent's reads of tasks' secrets: Parameter Store's {@code GetParameters} and Secrets Manager's
 * {@code GetSecretValue}, awsJson 1.1 POSTs to the control plane's endpoint (which serves both),
 * SigV4-signed for {@code ssm} and {@code secretsmanager} in the secret's Region with the task's
 * execution role credentials, each made once more when it failed for want of an answer
 * ({@link RetriedJsonCall}).
 */
public final class SecretStoreClient implements SecretStores, AutoCloseable {
    static final String SSM_TARGET = "AmazonSSM.GetParameters";
    static final String SECRETS_MANAGER_TARGET = "secretsmanager.GetSecretValue";

    private final HttpClient http;
    private final URI target;
    private final Clock clock;

    private SecretStoreClient(URI endpoint, Clock clock) {
        this.target = RetriedJsonCall.target(endpoint);
        this.clock = clock;
        this.http = AgentHttp.newClient();
    }

    /** @param endpoint the control plane's endpoint, the one the agent's ECS calls go to */
    public static SecretStoreClient create(URI endpoint, Clock clock) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(clock, "clock");
        AgentHttp.requireHttp(endpoint, "endpoint");
        return new SecretStoreClient(endpoint, clock);
    }

    @Override
    public ParameterValues getParameters(TaskCredentials credentials, String region, List<String> names) {
        GetParametersRequest request = GetParametersRequest.builder().names(List.copyOf(names)).withDecryption(true).build();
        GetParametersResult result = call("ssm", SSM_TARGET, credentials, region, request, GetParametersResult.class);
        List<Parameter> found = result.parameters() == null ? List.of() : result.parameters();
        Map<String, String> values = new HashMap<>();
        for (String name : names) {
            found.stream().filter(p -> answers(p, name)).findFirst()
                    .ifPresent(p -> values.put(name, p.value() == null ? "" : p.value()));
        }
        return new ParameterValues(values, result.invalidParameters() == null ? List.of() : result.invalidParameters());
    }

    /** Whether a parameter of the answer is the one asked for by {@code name}: by its name or ARN, with its selector if any. */
    private static boolean answers(Parameter p, String name) {
        String selector = p.selector() == null ? "" : p.selector();
        return name.equals(p.name()) || name.equals(p.arn()) || name.equals(p.name() + selector)
                || name.equals(p.arn() + selector);
    }

    @Override
    public String getSecretString(TaskCredentials credentials, String region, String secretId,
                                  Optional<String> versionStage, Optional<String> versionId) {
        GetSecretValueRequest request = GetSecretValueRequest.builder().secretId(secretId)
                .versionStage(versionStage.orElse(null)).versionId(versionId.orElse(null)).build();
        GetSecretValueResponse response = call("secretsmanager", SECRETS_MANAGER_TARGET, credentials, region, request,
                GetSecretValueResponse.class);
        return response.secretString() == null ? "" : response.secretString();
    }

    private <T> T call(String service, String operationTarget, TaskCredentials credentials, String region,
                       Object request, Class<T> responseType) {
        SigV4Credentials keys = new SigV4Credentials(credentials.accessKeyId(), credentials.secretAccessKey(),
                Optional.of(credentials.sessionToken()));
        byte[] answer = RetriedJsonCall.post(http, target, service, operationTarget, keys, region, AwsJson.toBytes(request),
                clock, SecretStoreException::new);
        try {
            return AwsJson.mapper().readValue(answer, responseType);
        } catch (IOException e) {
            // Not the parser's message: it may quote the body, and the body holds secrets.
            throw new SecretStoreException(operationTarget.substring(operationTarget.indexOf('.') + 1)
                    + " failed: unreadable answer");
        }
    }

    @Override
    public void close() {
        http.shutdown();
    }
}
