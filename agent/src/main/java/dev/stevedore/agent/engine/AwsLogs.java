package dev.stevedore.agent.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code awslogs} log driver as the ECS agent applies it on the EC2 launch type: the agent does
 * not ship lines itself, it hands the options to the Docker daemon's own {@code awslogs} driver,
 * which then ships stdout and stderr to the control plane's CloudWatch Logs API. What the daemon has
 * buffered survives an agent restart, and {@code mode}, {@code max-buffer-size},
 * {@code awslogs-datetime-format}, {@code awslogs-multiline-pattern} and {@code awslogs-create-group}
 * keep Docker's meaning.
 */
public final class AwsLogs {

    /**
     * This agent's side of shipping, the same for every task.
     *
     * @param endpoint        the control plane's endpoint, which serves the CloudWatch Logs API
     * @param credentialsPort the port at {@code 169.254.170.2} by which the host's own processes
     *                        reach this agent's task endpoints (see agent {@code endpoint.IptablesRoutes})
     */
    public record Target(java.net.URI endpoint, int credentialsPort) {
        public Target {
            Objects.requireNonNull(endpoint, "endpoint");
            if (credentialsPort < 1 || credentialsPort > 65535) {
                throw new IllegalArgumentException("credentials port must be 1 to 65535, got " + credentialsPort);
            }
        }

        Access access(String executionCredentialsId) {
            return new Access(endpoint.toString(), credentialsUri(credentialsPort, executionCredentialsId));
        }
    }

    public static final String DRIVER = "awslogs";
    static final String STREAM_PREFIX = "awslogs-stream-prefix";
    static final String STREAM = "awslogs-stream";
    static final String ENDPOINT = "awslogs-endpoint";
    static final String CREDENTIALS_ENDPOINT = "awslogs-credentials-endpoint";

    /**
     * How one task's containers ship: where to, and the credentials URI the daemon appends to
     * {@code http://169.254.170.2} (moby's awslogs driver concatenates the two, so a
     * {@code :PORT} in front of the path picks the port).
     */
    record Access(String endpoint, String credentialsUri) {
        Access {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(credentialsUri, "credentialsUri");
        }
    }

    private AwsLogs() {
    }

    /**
     * The daemon's options for a container: the definition's, with {@code awslogs-stream-prefix}
     * turned into the stream {@code prefix/container-name/task-id} (ECS's rule; without a prefix the
     * daemon names the stream after the container id), and the endpoint and credentials of this
     * agent in place of any the definition names, so that a definition cannot send its logs, signed
     * with its execution role, elsewhere.
     */
    static Map<String, String> dockerOptions(Map<String, String> options, String containerName, String taskArn, Access access) {
        Map<String, String> out = new LinkedHashMap<>(options);
        String prefix = out.remove(STREAM_PREFIX);
        if (prefix != null && !prefix.isEmpty()) {
            out.put(STREAM, prefix + "/" + containerName + "/" + taskArn.substring(taskArn.lastIndexOf('/') + 1));
        }
        out.put(ENDPOINT, access.endpoint());
        out.put(CREDENTIALS_ENDPOINT, access.credentialsUri());
        return out;
    }

    /** {@code :PORT/v2/credentials/ID}: the execution role's credentials at this agent's endpoint, seen from the host. */
    static String credentialsUri(int hostPort, String credentialsId) {
        return ":" + hostPort + "/v2/credentials/" + credentialsId;
    }
}
