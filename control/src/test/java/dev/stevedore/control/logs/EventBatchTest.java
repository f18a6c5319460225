package dev.stevedore.control.logs;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.model.logs.InputLogEvent;
import dev.stevedore.model.logs.RejectedLogEventsInfo;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PutLogEvents' batch rules, as a pure function of the batch, the time and the group's retention. */
class EventBatchTest {
    private static final long NOW = 1_765_000_000_000L;
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;

    private static InputLogEvent event(long timestamp, String message) {
        return InputLogEvent.builder().timestamp(timestamp).message(message).build();
    }

    private static List<InputLogEvent> at(long... timestamps) {
        List<InputLogEvent> events = new ArrayList<>();
        for (long t : timestamps) {
            events.add(event(t, "m" + events.size()));
        }
        return events;
    }

    @Test
    void anOrdinaryBatchIsTakenWhole() {
        EventBatch batch = EventBatch.screen(at(NOW - 2, NOW - 1, NOW - 1, NOW), NOW, OptionalInt.empty());
        assertThat(batch.accepted()).extracting(NewLogEvent::message).containsExactly("m0", "m1", "m2", "m3");
        assertThat(batch.rejected()).isEmpty();
    }

    @Test
    void eventsOutOfOrderRefuseTheBatch() {
        assertThatThrownBy(() -> EventBatch.screen(at(NOW, NOW - 1), NOW, OptionalInt.empty()))
                .isInstanceOf(AwsException.class)
                .hasMessage("Log events in a single PutLogEvents request must be in chronological order.");
    }

    @Test
    void aBatchSpanningMoreThanADayIsRefusedAndOneOfExactlyADayIsNot() {
        assertThat(EventBatch.screen(at(NOW - DAY, NOW), NOW, OptionalInt.empty()).accepted()).hasSize(2);
        assertThatThrownBy(() -> EventBatch.screen(at(NOW - DAY - 1, NOW), NOW, OptionalInt.empty()))
                .hasMessage("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
    }

    @Test
    void theSizeCountsUtf8BytesAndTwentySixPerEvent() {
        // 4 events of 262,118 bytes count 4 x 262,144 = 1,048,576: the limit exactly.
        String message = "a".repeat(262_118);
        List<InputLogEvent> limit = IntStream.range(0, 4).mapToObj(i -> event(NOW, message)).toList();
        assertThat(EventBatch.screen(limit, NOW, OptionalInt.empty()).accepted()).hasSize(4);
        List<InputLogEvent> over = new ArrayList<>(limit);
        // "é" is two bytes in UTF-8: one character more than the limit allows in bytes.
        over.set(3, event(NOW, "a".repeat(262_117) + "é"));
        assertThatThrownBy(() -> EventBatch.screen(over, NOW, OptionalInt.empty()))
                .hasMessage("Upload too large: 1048577 bytes exceeds limit of 1048576");
    }

    @Test
    void tooOldExpiredAndTooNewEventsAreLeftOutWithTheirIndexes() {
        EventBatch old = EventBatch.screen(at(NOW - 14 * DAY - 2, NOW - 14 * DAY - 1, NOW - 14 * DAY, NOW - 14 * DAY + HOUR),
                NOW, OptionalInt.empty());
        assertThat(old.accepted()).extracting(NewLogEvent::message).containsExactly("m2", "m3");
        assertThat(old.rejected()).contains(RejectedLogEventsInfo.builder().tooOldLogEventEndIndex(1).build());

        EventBatch future = EventBatch.screen(at(NOW, NOW + 2 * HOUR, NOW + 2 * HOUR + 1, NOW + 3 * HOUR),
                NOW, OptionalInt.empty());
        assertThat(future.accepted()).extracting(NewLogEvent::message).containsExactly("m0", "m1");
        assertThat(future.rejected()).contains(RejectedLogEventsInfo.builder().tooNewLogEventStartIndex(2).build());

        EventBatch expired = EventBatch.screen(at(NOW - DAY - 2, NOW - DAY - 1, NOW - DAY + 1), NOW, OptionalInt.of(1));
        assertThat(expired.accepted()).extracting(NewLogEvent::message).containsExactly("m2");
        assertThat(expired.rejected()).contains(RejectedLogEventsInfo.builder().expiredLogEventEndIndex(1).build());
    }

    @Test
    void aBatchWhoseEventsAreAllRejectedStoresNothing() {
        EventBatch batch = EventBatch.screen(at(NOW + 3 * HOUR, NOW + 4 * HOUR), NOW, OptionalInt.empty());
        assertThat(batch.accepted()).isEmpty();
        assertThat(batch.rejected()).contains(RejectedLogEventsInfo.builder().tooNewLogEventStartIndex(0).build());
    }
}
