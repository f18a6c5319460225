package dev.stevedore.awsproto;

import java.util.Objects;

/**
 * What one call turned out to be, filled in by the protocol endpoint as it learns it: the operation
 * once the model knows the name, the error code if one is answered. One per request, used by the
 * request's thread only. A name the model does not know is never recorded, so what
 * {@link ApiObserver} receives stays within the model.
 */
public final class CallRecord {
    /** The operation or service of a request that named none this server knows. */
    public static final String UNKNOWN = "unknown";
    /** The outcome of a call answered without an error. */
    public static final String SUCCESS = "Success";
    /** The outcome of a call that failed in a way no code expected (answered with a 500). */
    public static final String UNHANDLED = "Unhandled";

    private String operation = UNKNOWN;
    private String outcome = SUCCESS;

    /** Records the operation; call only with a name of the service's model. */
    public void operation(String name) {
        this.operation = Objects.requireNonNull(name, "name");
    }

    /** Records the error code the call is answered with. */
    public void failed(String code) {
        this.outcome = Objects.requireNonNull(code, "code");
    }

    public String operation() {
        return operation;
    }

    public String outcome() {
        return outcome;
    }
}
