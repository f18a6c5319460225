package dev.stevedore.control.ecs.feed;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The members of a stored container instance that the controllers route on: its ARN, status and
 * whether its agent is connected. The plan applier rewrites instance records with every batch of
 * placements, so the feed reads these few members once per change with a streaming parser that
 * skips everything else (resources, attributes), instead of each listener binding the whole record.
 */
public record InstanceSummary(String containerInstanceArn, String status, boolean agentConnected,
                              Optional<String> ec2InstanceId) {
    private static final JsonFactory JSON = new JsonFactory();

    public static InstanceSummary decode(byte[] json) {
        String arn = null;
        String status = null;
        String ec2 = null;
        boolean connected = false;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "containerInstanceArn" -> arn = p.getValueAsString();
                    case "status" -> status = p.getValueAsString();
                    case "ec2InstanceId" -> ec2 = p.getValueAsString();
                    case "agentConnected" -> connected = value == JsonToken.VALUE_TRUE;
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("stored record is not a container instance", e);
        }
        return new InstanceSummary(arn, status, connected, Optional.ofNullable(ec2));
    }
}
