package dev.stevedore.control.ecs;

import dev.stevedore.awsproto.AwsException;

/**
 * The ECS exception shapes, as the model names them. All are client errors (HTTP 400) except
 * {@code ServerException}, which the wire layer produces for unexpected failures.
 */
public final class EcsErrors {
    private EcsErrors() {
    }

    public static AwsException client(String message) {
        return new AwsException("ClientException", 400, message);
    }

    public static AwsException invalidParameter(String message) {
        return new AwsException("InvalidParameterException", 400, message);
    }

    public static AwsException clusterNotFound() {
        return new AwsException("ClusterNotFoundException", 400, "Cluster not found.");
    }

    public static AwsException resourceNotFound(String message) {
        return new AwsException("ResourceNotFoundException", 400, message);
    }

    public static AwsException limitExceeded(String message) {
        return new AwsException("LimitExceededException", 400, message);
    }

    public static AwsException of(String code, String message) {
        return new AwsException(code, 400, message);
    }

    /** Answer for an operation of the model that Stevedore does not implement yet: a clear client error, never a 500. */
    public static AwsException notImplemented(String operation) {
        return new AwsException("UnsupportedFeatureException", 400,
                "Stevedore does not implement " + operation + " yet.");
    }
}
