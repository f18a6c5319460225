package dev.stevedore.scheduler;

import static dev.stevedore.scheduler.TestInstances.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlacementRequestTest {

    private static void invalid(Runnable action, String message) {
        assertThatThrownBy(action::run).isInstanceOf(InvalidPlacementRequestException.class).hasMessageContaining(message);
    }

    @Nested
    class Request {

        @ParameterizedTest
        @ValueSource(ints = {0, -1, 11})
        void countIsOneToTen(int count) {
            invalid(() -> request(1, 1).count(count).build(), "count must be between 1 and 10");
        }

        @Test
        void atMostTenConstraints() {
            PlacementConstraint[] eleven = Collections.nCopies(11, PlacementConstraint.distinctInstance())
                    .toArray(PlacementConstraint[]::new);
            invalid(() -> request(1, 1).constraints(eleven).build(), "at most 10 placement constraints");
            assertThat(request(1, 1).constraints(List.of(eleven).subList(0, 10).toArray(PlacementConstraint[]::new))
                    .build().constraints()).hasSize(10);
        }

        @Test
        void atMostFiveStrategies() {
            PlacementStrategy[] six = Collections.nCopies(6, PlacementStrategy.random()).toArray(PlacementStrategy[]::new);
            invalid(() -> request(1, 1).strategies(six).build(), "At most 5 placement strategies");
        }

        @Test
        void groupIsOneTo255Characters() {
            invalid(() -> request(1, 1).group("").build(), "group must be 1 to 255 characters");
            invalid(() -> request(1, 1).group("g".repeat(256)).build(), "group must be 1 to 255 characters");
        }
    }

    @Nested
    class Constraints {

        @Test
        void distinctInstanceMustNotHaveAnExpression() {
            invalid(() -> PlacementConstraint.of(Optional.of("distinctInstance"), Optional.of("runningTasksCount == 0")),
                    "must not have an expression");
            assertThat(PlacementConstraint.of(Optional.of("distinctInstance"), Optional.empty()))
                    .isEqualTo(new PlacementConstraint.DistinctInstance());
        }

        @Test
        void memberOfNeedsAValidExpressionOfAtMost2000Characters() {
            invalid(() -> PlacementConstraint.of(Optional.of("memberOf"), Optional.empty()), "requires an expression");
            invalid(() -> PlacementConstraint.of(Optional.of("memberOf"), Optional.of(" ")), "requires an expression");
            String tooLong = "attribute:a == " + "x".repeat(1990);
            invalid(() -> PlacementConstraint.of(Optional.of("memberOf"), Optional.of(tooLong)), "at most 2000 characters");
            invalid(() -> PlacementConstraint.of(Optional.of("memberOf"), Optional.of("attribute:a")),
                    "Invalid memberOf expression: Expected an operator after 'attribute:a' at position 11");
            String longest = "attribute:a == " + "x".repeat(1985);
            assertThat(PlacementConstraint.of(Optional.of("memberOf"), Optional.of(longest)))
                    .isInstanceOf(PlacementConstraint.MemberOf.class);
        }

        @Test
        void unknownTypesAreRejected() {
            invalid(() -> PlacementConstraint.of(Optional.of("sameZone"), Optional.empty()), "Invalid placement constraint type 'sameZone'");
            invalid(() -> PlacementConstraint.of(Optional.empty(), Optional.of("attribute:a == b")), "requires a type");
        }
    }

    @Nested
    class Strategies {

        @Test
        void binpackFieldIsCpuOrMemory() {
            assertThat(PlacementStrategy.of(Optional.of("binpack"), Optional.of("memory")))
                    .isEqualTo(PlacementStrategy.binpack(BinpackField.MEMORY));
            assertThat(PlacementStrategy.of(Optional.of("binpack"), Optional.of("cpu")))
                    .isEqualTo(PlacementStrategy.binpack(BinpackField.CPU));
            invalid(() -> PlacementStrategy.of(Optional.of("binpack"), Optional.of("disk")), "valid fields are cpu and memory");
            invalid(() -> PlacementStrategy.of(Optional.empty(), Optional.of("cpu")), "requires a type");
            invalid(() -> PlacementStrategy.of(Optional.of("binpack"), Optional.empty()), "valid fields are cpu and memory");
        }

        @Test
        void spreadFieldIsInstanceIdHostOrAnAttribute() {
            assertThat(PlacementStrategy.of(Optional.of("spread"), Optional.of("instanceId"))).isEqualTo(PlacementStrategy.spread("instanceId"));
            assertThat(((PlacementStrategy.Spread) PlacementStrategy.of(Optional.of("spread"), Optional.of("host"))).byInstance()).isTrue();
            assertThat(((PlacementStrategy.Spread) PlacementStrategy.of(Optional.of("spread"),
                    Optional.of("attribute:ecs.availability-zone"))).attributeName()).contains("ecs.availability-zone");
            invalid(() -> PlacementStrategy.of(Optional.of("spread"), Optional.of("zone")), "Invalid spread placement strategy field 'zone'");
            invalid(() -> PlacementStrategy.of(Optional.of("spread"), Optional.of("attribute:")), "Invalid spread");
            invalid(() -> PlacementStrategy.of(Optional.of("spread"), Optional.empty()), "requires a field");
        }

        @Test
        void randomHasNoField() {
            assertThat(PlacementStrategy.of(Optional.of("random"), Optional.empty())).isEqualTo(PlacementStrategy.random());
            invalid(() -> PlacementStrategy.of(Optional.of("random"), Optional.of("cpu")), "must not have a field");
        }

        @Test
        void unknownTypesAreRejected() {
            invalid(() -> PlacementStrategy.of(Optional.of("pack"), Optional.empty()), "Invalid placement strategy type 'pack'");
        }
    }
}
