package dev.stevedore.control.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.awsproto.AwsJson;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The encoding of stored records: the same JSON the wire uses, so a stored ECS shape reads back
 * exactly as it was accepted.
 */
public final class Records {
    private static final ObjectMapper MAPPER = AwsJson.mapper();

    private Records() {
    }

    public static byte[] encode(Object record) {
        try {
            return MAPPER.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + record.getClass().getSimpleName(), e);
        }
    }

    public static <T> T decode(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("stored record is not a " + type.getSimpleName(), e);
        }
    }

    public static <T> T convert(Object value, Class<T> type) {
        return MAPPER.convertValue(value, type);
    }
}
