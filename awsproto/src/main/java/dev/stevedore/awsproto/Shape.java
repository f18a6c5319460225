package dev.stevedore.awsproto;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One shape of an AWS service model: a type plus the constraints a value of it must meet.
 *
 * @param members         structure members by name, in model order; empty for other types
 * @param required        names of the members that must be present
 * @param enumValues      the allowed values of an enum string; empty when unconstrained
 * @param min             minimum length (strings, lists, maps, blobs) or value (numbers)
 * @param max             maximum length or value
 * @param pattern         a regular expression strings must match entirely
 * @param member          the element of a list
 * @param key             the key of a map
 * @param value           the value of a map
 * @param exception       whether this structure is an error shape
 * @param fault           whether this error is the server's fault (5xx)
 * @param sensitive       whether values must not be echoed back, e.g. in validation messages
 * @param timestampFormat the wire format of a timestamp when it overrides the protocol default
 * @param error           the error trait of an exception shape, when the model declares one
 * @param flattened       whether a list is written in the XML protocols as its repeated elements,
 *                        without a wrapping element (a list member may say so too, see {@link Member})
 */
public record Shape(String name, ShapeType type, Map<String, Member> members, List<String> required,
                    List<String> enumValues, Optional<BigDecimal> min, Optional<BigDecimal> max,
                    Optional<String> pattern, Optional<Member> member, Optional<Member> key,
                    Optional<Member> value, boolean exception, boolean fault, boolean sensitive,
                    Optional<String> timestampFormat, Optional<ErrorTrait> error, boolean flattened) {

    public Shape {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        required = List.copyOf(required);
        enumValues = List.copyOf(enumValues);
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(timestampFormat, "timestampFormat");
        Objects.requireNonNull(error, "error");
    }

    /**
     * The model's {@code error} trait.
     *
     * @param code           the error code on the wire when it differs from the shape name (Query protocols)
     * @param httpStatusCode the HTTP status of the error
     * @param senderFault    whether the caller is at fault
     */
    public record ErrorTrait(Optional<String> code, Optional<Integer> httpStatusCode, boolean senderFault) {
        public ErrorTrait {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(httpStatusCode, "httpStatusCode");
        }
    }

    public boolean isRequired(String memberName) {
        return required.contains(memberName);
    }

    /** The code an error of this shape has on the wire: the error trait's {@code code}, else the shape name. */
    public String errorCode() {
        return error.flatMap(ErrorTrait::code).orElse(name);
    }

    /** The HTTP status an error of this shape is answered with. */
    public int httpStatus() {
        return error.flatMap(ErrorTrait::httpStatusCode).orElse(fault ? 500 : 400);
    }
}
