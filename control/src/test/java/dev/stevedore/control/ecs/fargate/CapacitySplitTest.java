package dev.stevedore.control.ecs.fargate;

import dev.stevedore.model.ecs.CapacityProviderStrategyItem;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** ECS's base-then-weight split, all at once and continued from tasks that already count. */
class CapacitySplitTest {
    private static final List<CapacityProviderStrategyItem> STRATEGY = List.of(
            new CapacityProviderStrategyItem(2, "FARGATE", 1),
            new CapacityProviderStrategyItem(0, "FARGATE_SPOT", 3));

    private static Map<String, Integer> counts(List<String> providers) {
        return providers.stream().collect(Collectors.toMap(p -> p, p -> 1, Integer::sum));
    }

    @Test
    void theBaseComesFirstThenTheWeights() {
        assertThat(CapacitySplit.of(STRATEGY, 10)).startsWith("FARGATE", "FARGATE");
        assertThat(counts(CapacitySplit.of(STRATEGY, 10))).isEqualTo(Map.of("FARGATE", 4, "FARGATE_SPOT", 6));
    }

    @Test
    void startingTasksInStepsEndsWithTheSplitOfStartingThemAllAtOnce() {
        for (int[] steps : new int[][] {{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, {1, 2, 3, 4}, {3, 7}, {9, 1}}) {
            Map<String, Integer> held = new HashMap<>();
            for (int step : steps) {
                CapacitySplit.next(STRATEGY, held, step).forEach(p -> held.merge(p, 1, Integer::sum));
            }
            assertThat(held).as("steps %s", java.util.Arrays.toString(steps))
                    .isEqualTo(counts(CapacitySplit.of(STRATEGY, 10)));
        }
    }

    @Test
    void tasksBeyondTheBaseAlreadyRunningAreWeighed() {
        // Five on FARGATE already (base 2, three weighted): the next four all go to FARGATE_SPOT first.
        assertThat(CapacitySplit.next(STRATEGY, Map.of("FARGATE", 5), 4))
                .containsOnly("FARGATE_SPOT").hasSize(4);
    }
}
