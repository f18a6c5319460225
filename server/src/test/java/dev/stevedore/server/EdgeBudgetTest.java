package dev.stevedore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EdgeBudgetTest {

    private final EdgeBudget budget = new EdgeBudget(new EdgeLimits(2, 100, 60));

    @Test
    void requestsPastTheBoundAreRefusedUntilOneEnds() {
        EdgeBudget.Ticket first = budget.admit(0).orElseThrow();
        budget.admit(0).orElseThrow();

        assertThat(budget.admit(0)).isEmpty();
        assertThat(budget.atRequestBound()).isTrue();
        first.release();
        first.release();  // once only
        assertThat(budget.requestsInFlight()).isEqualTo(1);
        assertThat(budget.admit(0)).isPresent();
    }

    @Test
    void declaredBytesAreReservedUpFrontAndRefusedWhenTheyDoNotFit() {
        EdgeBudget.Ticket sixty = budget.admit(60).orElseThrow();

        assertThat(budget.admit(41)).as("60 + 41 > 100").isEmpty();
        assertThat(budget.requestsInFlight()).as("a refused request holds no place").isEqualTo(1);
        sixty.release();
        assertThat(budget.bufferedBytes()).isZero();
    }

    @Test
    void chunkedBodiesGrowTheirShareUntilItDoesNotFit() {
        EdgeBudget.Ticket chunked = budget.admit(0).orElseThrow();
        EdgeBudget.Ticket other = budget.admit(50).orElseThrow();

        assertThat(chunked.cover(30)).isTrue();
        assertThat(chunked.cover(50)).isTrue();
        assertThat(chunked.cover(51)).isFalse();
        assertThat(budget.bufferedBytes()).isEqualTo(100);
        chunked.release();
        other.release();
        assertThat(budget.bufferedBytes()).isZero();
        assertThat(budget.requestsInFlight()).isZero();
        assertThat(chunked.cover(1)).as("a released share takes nothing again").isFalse();
    }

    @Test
    void theBufferMustHoldOneBodyOfTheLargestSize() {
        assertThatThrownBy(() -> new EdgeLimits(1, 10, 11)).isInstanceOf(IllegalArgumentException.class);
        assertThat(EdgeLimits.defaults().maxBodyBytes()).isEqualTo(2 * 1024 * 1024);
    }
}
