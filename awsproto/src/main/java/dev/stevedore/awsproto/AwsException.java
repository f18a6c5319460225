package dev.stevedore.awsproto;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An AWS-style error: the error code (the {@code __type} on the wire, i.e. the exception shape name
 * such as {@code ClusterNotFoundException}), a human message, the HTTP status, and optional extra
 * members that the exception shape models (for example {@code ConflictException.resourceIds}).
 *
 * <p>Handlers throw it to answer with an error; each protocol endpoint serializes it in its own
 * wire format. Status 500 and above means a fault on our side.
 */
public class AwsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;
    private final int status;
    @SuppressWarnings("serial") // an unmodifiable copy; nobody serializes these exceptions across JVMs
    private final Map<String, Object> extraMembers;

    public AwsException(String code, int status, String message) {
        this(code, status, message, Map.of(), null);
    }

    /**
     * @param extraMembers further members of the exception shape, written next to {@code message};
     *                     values are serialized with {@link AwsJson#mapper()}
     */
    public AwsException(String code, int status, String message, Map<String, Object> extraMembers) {
        this(code, status, message, extraMembers, null);
    }

    public AwsException(String code, int status, String message, Map<String, Object> extraMembers,
                        Throwable cause) {
        // Client errors are part of normal traffic; a stack trace for each would cost without telling
        // anyone anything, so only faults record one.
        super(Objects.requireNonNull(message, "message"), cause, false, status >= 500);
        this.code = requireCode(code);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error status must be 4xx or 5xx, got " + status);
        }
        this.status = status;
        this.extraMembers = Collections.unmodifiableMap(new LinkedHashMap<>(extraMembers));
    }

    /** A 400 client error, the status every modelled AWS client error takes by default. */
    public static AwsException clientError(String code, String message) {
        return new AwsException(code, 400, message);
    }

    private static String requireCode(String code) {
        Objects.requireNonNull(code, "code");
        if (code.isBlank()) {
            throw new IllegalArgumentException("code must not be blank");
        }
        return code;
    }

    /** The error code, written as {@code __type} by the JSON protocols. */
    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    /** Modelled members of the exception shape other than the message. */
    public Map<String, Object> extraMembers() {
        return extraMembers;
    }

    /** Whether this is a fault of the server rather than of the caller. */
    public boolean isFault() {
        return status >= 500;
    }
}
