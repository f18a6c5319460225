package dev.stevedore.control.ecs;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Ids look like ECS's (32 lower-case hex digits), never repeat, and sort in creation order across milliseconds. */
class IdsTest {

    @Test
    void idsAreLongArnIdsInCreationOrder() throws InterruptedException {
        Set<String> seen = new HashSet<>();
        String earlier = Ids.newId();
        for (int i = 0; i < 10_000; i++) {
            String id = Ids.newId();
            assertThat(id).matches("[0-9a-f]{32}");
            assertThat(seen.add(id)).isTrue();
        }
        Thread.sleep(2);
        String later = Ids.newId();
        assertThat(later).isGreaterThan(earlier);
        assertThat(Long.parseLong(later.substring(0, 12), 16)).isCloseTo(System.currentTimeMillis(),
                org.assertj.core.data.Offset.offset(60_000L));
    }
}
