package dev.stevedore.awsproto;

/**
 * What {@link AwsFrontDoor} tells about the calls it answers, for metrics. Every label it passes is
 * from a bounded set: a service's signing name, an operation of its model (or {@code unknown}), an
 * error code the code base raises (or {@code Success}), so an implementation can use them as metric
 * labels without a caller being able to grow them. Called on the request's thread; must not block.
 */
public interface ApiObserver {

    /** Observes nothing. */
    ApiObserver NONE = new ApiObserver() {
    };

    /**
     * A call was answered.
     *
     * @param service   the signing name of the endpoint that took it ({@code ecs}, {@code iam}, ...), or
     *                  {@link CallRecord#UNKNOWN} when no endpoint did
     * @param operation the model's operation name, or {@link CallRecord#UNKNOWN} when the request named none
     * @param outcome   {@link CallRecord#SUCCESS}, the AWS error code answered, or {@link CallRecord#UNHANDLED}
     * @param nanos     from the front door taking the request to the answer being made
     */
    default void answered(String service, String operation, String outcome, long nanos) {
    }

    /** A request's signature was refused, for {@code reason}. */
    default void signatureRefused(String service, SigV4Exception.Reason reason) {
    }
}
