package dev.stevedore.server;

/**
 * How much the HTTP edge takes on at once. Past either bound a request is refused with its
 * protocol's throttling answer, which SDKs retry with back-off, instead of being queued: a burst
 * then costs the server a bounded amount of memory, and well-behaved callers keep being served.
 *
 * <p>The defaults suit a small machine (2 cores): API calls are short and mostly wait on the store, so
 * 256 in flight keeps both cores busy with room for the agents' reports. 4 MiB of buffered bodies
 * holds two of the largest calls at once (full PutLogEvents batches), or a thousand ordinary ones of a
 * few kilobytes (a task definition is at most 64 KiB on ECS): bodies become several times
 * their size as parsed JSON trees, and parsing them is what takes the cores from everyone else, so
 * fewer at once leaves the server both its memory and time for small calls (BENCHMARKS.md, "Overload":
 * under a flood of 850 KB bodies the server's peak RSS stayed at 225 MiB with 4 MiB, 807 MiB with
 * 32 MiB, and 1.8 GiB without a bound).
 *
 * @param maxRequestsInFlight requests being read or run at once (WebSocket handshakes are refused
 *                            with 503 while the edge is at this bound)
 * @param maxBufferedBytes    request bodies held at once, counted from {@code Content-Length} when the
 *                            request declares it (so the bytes are reserved before they arrive) and
 *                            chunk by chunk otherwise
 * @param maxBodyBytes        a larger body is refused with 413 and never buffered; no API call needs more
 * @param serviceRequestRates whether each account's calls are also held to the rates the service documents
 *                            (ECS's action categories, see {@code EcsRequestRates}), off by default: users
 *                            turn it on to see their retry logic meet real throttling
 */
public record EdgeLimits(int maxRequestsInFlight, long maxBufferedBytes, int maxBodyBytes,
                         boolean serviceRequestRates) {

    public static final int DEFAULT_MAX_REQUESTS_IN_FLIGHT = 256;
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 4L * 1024 * 1024;
    /**
     * 2 MiB: a PutLogEvents batch at CloudWatch Logs' limit (1,048,576 bytes counted as the messages'
     * UTF-8 length plus 26 per event) is more than 1 MiB as JSON, with its member names and escapes.
     */
    public static final int DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;

    /** Without the services' request rates. */
    public EdgeLimits(int maxRequestsInFlight, long maxBufferedBytes, int maxBodyBytes) {
        this(maxRequestsInFlight, maxBufferedBytes, maxBodyBytes, false);
    }

    public EdgeLimits {
        if (maxRequestsInFlight < 1 || maxBodyBytes < 1) {
            throw new IllegalArgumentException("the edge limits must be positive");
        }
        if (maxBufferedBytes < maxBodyBytes) {
            throw new IllegalArgumentException("the buffered-bytes bound (" + maxBufferedBytes
                    + ") must hold at least one body of the largest size (" + maxBodyBytes + ")");
        }
    }

    public static EdgeLimits defaults() {
        return new EdgeLimits(DEFAULT_MAX_REQUESTS_IN_FLIGHT, DEFAULT_MAX_BUFFERED_BYTES, DEFAULT_MAX_BODY_BYTES);
    }

    public EdgeLimits withMaxRequestsInFlight(int value) {
        return new EdgeLimits(value, maxBufferedBytes, maxBodyBytes, serviceRequestRates);
    }

    public EdgeLimits withMaxBufferedBytes(long value) {
        return new EdgeLimits(maxRequestsInFlight, value, maxBodyBytes, serviceRequestRates);
    }

    public EdgeLimits withServiceRequestRates(boolean on) {
        return new EdgeLimits(maxRequestsInFlight, maxBufferedBytes, maxBodyBytes, on);
    }
}
