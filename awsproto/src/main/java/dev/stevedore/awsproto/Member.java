package dev.stevedore.awsproto;

import java.util.Objects;
import java.util.Optional;

/**
 * A reference from a shape to another shape: a structure member, or the member, key or value of a
 * list or map.
 *
 * @param name             the member name in the model ({@code member}, {@code key} or {@code value}
 *                         for collection references)
 * @param shape            the name of the target shape
 * @param idempotencyToken whether clients fill this member with a fresh token when it is absent
 * @param locationName     the name on the wire when it differs from {@code name}
 * @param location         where a REST protocol carries the member ({@code header}, {@code uri}, ...)
 * @param queryName        the name used by the EC2 query protocol
 * @param flattened        whether a Query/XML list is flattened
 */
public record Member(String name, String shape, boolean idempotencyToken, Optional<String> locationName,
                     Optional<String> location, Optional<String> queryName, boolean flattened) {

    public Member {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(locationName, "locationName");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(queryName, "queryName");
    }

    /** A plain reference without protocol traits. */
    public static Member of(String name, String shape) {
        return new Member(name, shape, false, Optional.empty(), Optional.empty(), Optional.empty(), false);
    }

    /** The JSON object key of this member in the awsJson protocols, and its XML element name in answers. */
    public String wireName() {
        return locationName.orElse(name);
    }

    /**
     * The request parameter name of this member in the EC2 protocol: its {@code queryName}, else its
     * {@code locationName} with the first letter upper-cased, else the member name (botocore's
     * EC2Serializer and the AWS SDKs name parameters this way).
     */
    public String ec2ParameterName() {
        return queryName.orElseGet(() -> locationName
                .map(n -> n.isEmpty() ? n : Character.toUpperCase(n.charAt(0)) + n.substring(1))
                .orElse(name));
    }
}
