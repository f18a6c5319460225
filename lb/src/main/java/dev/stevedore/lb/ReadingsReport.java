package dev.stevedore.lb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * What a data plane in a process of its own tells the control plane of its health checks: every target it holds,
 * as {@link DataPlane#readings()} gives them, under an id that stays the same for the life of the process (so the
 * control plane can tell several such processes apart and drop one's readings when it stops reporting).
 */
public record ReadingsReport(String processId, List<TargetReading> readings) {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES);

    public ReadingsReport {
        readings = List.copyOf(readings);
        if (processId.isBlank()) {
            throw new IllegalArgumentException("a readings report needs the id of the process that made it");
        }
    }

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a readings report that does not encode", e);
        }
    }

    /** The report in {@code json}; a malformed or incomplete one is an {@link IllegalArgumentException}. */
    public static ReadingsReport fromJson(byte[] json) {
        try {
            ReadingsReport report = MAPPER.readValue(json, ReadingsReport.class);
            if (report == null) {
                throw new IllegalArgumentException("an empty readings report");
            }
            return report;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a readings report: " + e.getMessage(), e);
        }
    }
}
