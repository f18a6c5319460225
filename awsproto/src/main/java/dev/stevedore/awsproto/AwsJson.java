package dev.stevedore.awsproto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON conventions of the AWS JSON protocols, as one shared {@link ObjectMapper}.
 *
 * <ul>
 *   <li>absent values are omitted: {@code null} fields and empty {@link java.util.Optional}s are not written;</li>
 *   <li>records are supported, unknown properties are ignored when reading;</li>
 *   <li>{@link java.time.Instant} is written as epoch seconds with a millisecond fraction, as a JSON
 *       number ({@code 1700000000.123}; whole seconds as {@code 1700000000}), and read from numbers
 *       (or ISO-8601 strings);</li>
 *   <li>{@link java.util.Optional} is written as its content and read back, absent or {@code null}
 *       becoming {@code Optional.empty()}.</li>
 * </ul>
 */
public final class AwsJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new AwsJsonModule())
            .serializationInclusion(JsonInclude.Include.NON_ABSENT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private AwsJson() {
    }

    /** The shared mapper. It is thread-safe; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Binds validated input to a type, turning a mismatch into a 400 {@code SerializationException}
     * so that handlers need no Jackson exception handling of their own.
     */
    public static <T> T convert(JsonNode input, Class<T> type) {
        try {
            return MAPPER.treeToValue(input, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw AwsException.clientError("SerializationException", "Unable to read request: "
                    + (e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage()));
        }
    }

    /** Serializes a value with the shared mapper; a failure is a bug, reported unchecked. */
    public static byte[] toBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getName(), e);
        }
    }
}
