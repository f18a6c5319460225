package dev.stevedore.lb.config;

import java.util.List;

/**
 * A rule condition as ALB has them. Within one condition the values are alternatives (any may match); a
 * rule's conditions must all match. {@code *} and {@code ?} are wildcards where ALB allows them.
 */
public sealed interface Condition {

    /** The request path (without the query string), case-sensitive. */
    record PathPattern(List<String> values) implements Condition {
        public PathPattern {
            values = nonEmpty(values);
        }
    }

    /** The Host header without its port, case-insensitive. */
    record HostHeader(List<String> values) implements Condition {
        public HostHeader {
            values = nonEmpty(values);
        }
    }

    /** A named header (name case-insensitive) whose value matches one of the patterns, case-insensitive. */
    record HttpHeader(String name, List<String> values) implements Condition {
        public HttpHeader {
            values = nonEmpty(values);
            if (name.isBlank()) {
                throw new IllegalArgumentException("http-header condition without a header name");
            }
        }
    }

    /** The request method, exactly (case-sensitive, no wildcards). */
    record HttpRequestMethod(List<String> values) implements Condition {
        public HttpRequestMethod {
            values = nonEmpty(values);
        }
    }

    /** Any query parameter matching one of the pairs; an empty key matches any key. Case-insensitive. */
    record QueryString(List<KeyValue> values) implements Condition {
        public QueryString {
            values = nonEmpty(values);
        }
    }

    /** The client's address is inside one of the CIDR blocks (IPv4 or IPv6). */
    record SourceIp(List<String> values) implements Condition {
        public SourceIp {
            values = nonEmpty(values);
        }
    }

    /** A query-string pair; {@code key} is empty when any key will do. */
    record KeyValue(String key, String value) {
    }

    private static <T> List<T> nonEmpty(List<T> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a condition needs at least one value");
        }
        return List.copyOf(values);
    }
}
