package dev.stevedore.control.ec2;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Ec2ApiTest extends Ec2ApiTestBase {
    @Test
    void everyOperationOfTheSpecHasAHandler() {
        assertThat(ec2.api.operations().keySet()).containsExactlyInAnyOrderElementsOf(ec2.api.spec().operationNames());
        assertThat(ec2.api.operations()).hasSize(18);
    }
}
