package dev.stevedore.awsproto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AwsJsonTest {

    record Task(String taskArn, Instant createdAt, Optional<String> stoppedReason, Optional<Instant> stoppedAt,
                String group, List<String> tags) {
    }

    record Input(String cluster, Optional<Integer> count, Instant startedAt) {
    }

    private static String write(Object value) {
        return new String(AwsJson.toBytes(value), StandardCharsets.UTF_8);
    }

    @Test
    void instantsAreEpochSecondsWithMillisecondFraction() {
        Task task = new Task("arn:t", Instant.parse("2023-11-14T22:13:20.123456789Z"), Optional.empty(),
                Optional.of(Instant.parse("2023-11-14T22:13:21Z")), null, List.of());

        assertThat(write(task)).isEqualTo(
                "{\"taskArn\":\"arn:t\",\"createdAt\":1700000000.123,\"stoppedAt\":1700000001,\"tags\":[]}");
    }

    @Test
    void instantsBeforeTheEpochKeepTheirValue() {
        assertThat(write(Instant.parse("1969-12-31T23:59:59.500Z"))).isEqualTo("-0.5");
        assertThat(write(Instant.parse("2023-11-14T22:13:20.100Z"))).isEqualTo("1700000000.1");
    }

    @Test
    void nullsAndEmptyOptionalsAreOmittedButPresentOptionalsWriteTheirValue() {
        Task task = new Task("arn:t", null, Optional.of("Essential container exited"), Optional.empty(), null, null);

        assertThat(write(task)).isEqualTo("{\"taskArn\":\"arn:t\",\"stoppedReason\":\"Essential container exited\"}");
    }

    @Test
    void readsInstantsFromNumbersAndOptionalsFromPresenceAndIgnoresUnknownMembers() throws Exception {
        Input input = AwsJson.mapper().readValue(
                "{\"cluster\":\"prod\",\"count\":3,\"startedAt\":1700000000.25,\"brandNew\":{\"x\":1}}", Input.class);

        assertThat(input).isEqualTo(new Input("prod", Optional.of(3), Instant.parse("2023-11-14T22:13:20.250Z")));
    }

    @Test
    void absentAndNullOptionalsReadAsEmpty() throws Exception {
        assertThat(AwsJson.mapper().readValue("{\"startedAt\":1700000000}", Input.class))
                .isEqualTo(new Input(null, Optional.empty(), Instant.ofEpochSecond(1_700_000_000)));
        assertThat(AwsJson.mapper().readValue("{\"count\":null}", Input.class).count()).isEmpty();
    }

    @Test
    void instantsAlsoReadFromIsoStrings() throws Exception {
        assertThat(AwsJson.mapper().readValue("\"2023-11-14T22:13:20.5Z\"", Instant.class))
                .isEqualTo(Instant.parse("2023-11-14T22:13:20.500Z"));
    }

    @Test
    void roundTripOfAnInstantKeepsMilliseconds() throws Exception {
        Instant instant = Instant.parse("2024-02-29T01:02:03.004Z");

        assertThat(AwsJson.mapper().readValue(AwsJson.toBytes(instant), Instant.class)).isEqualTo(instant);
    }

    @Test
    void convertReportsMismatchesAsSerializationException() throws Exception {
        JsonNode input = AwsJson.mapper().readTree("{\"count\":\"many\"}");

        assertThatThrownBy(() -> AwsJson.convert(input, Input.class)).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.code()).isEqualTo("SerializationException");
            assertThat(e.status()).isEqualTo(400);
        });
        assertThat(AwsJson.convert(AwsJson.mapper().readTree("{\"cluster\":\"a\"}"), Input.class).cluster()).isEqualTo("a");
    }
}
