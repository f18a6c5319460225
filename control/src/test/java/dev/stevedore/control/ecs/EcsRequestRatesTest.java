package dev.stevedore.control.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.awsproto.ServiceSpec;
import org.junit.jupiter.api.Test;

class EcsRequestRatesTest {

    @Test
    void everyCategorisedOperationIsAnEcsOperation() {
        // A misspelt name would silently go unthrottled.
        assertThat(ServiceSpec.load(EcsApi.SPEC_NAME).operationNames())
                .containsAll(EcsRequestRates.byOperation().keySet());
        assertThat(EcsRequestRates.byOperation().get("RunTask").capacity()).isEqualTo(100);
        assertThat(EcsRequestRates.byOperation().get("RunTask").refillPerSecond()).isEqualTo(40);
    }
}
