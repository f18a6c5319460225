package dev.stevedore.agent.api;

import dev.stevedore.model.ecs.ContainerStateChange;
import dev.stevedore.model.ecs.NetworkBinding;
import dev.stevedore.model.ecs.SubmitTaskStateChangeRequest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SdkRequestsTest {

    @Test
    void aTaskStateChangeKeepsEveryMemberAndLeavesAbsentOnesAbsent() {
        var sdk = SdkRequests.taskStateChange(SubmitTaskStateChangeRequest.builder()
                .cluster("default").task("arn:t").status("RUNNING")
                .pullStartedAt(Instant.ofEpochSecond(10))
                .containers(List.of(ContainerStateChange.builder().containerName("web").status("RUNNING")
                        .runtimeId("abc").networkBindings(List.of(NetworkBinding.builder().bindIP("0.0.0.0")
                                .containerPort(80).hostPort(32768).protocol("tcp").build())).build()))
                .build());

        assertThat(sdk.cluster()).isEqualTo("default");
        assertThat(sdk.status()).isEqualTo("RUNNING");
        assertThat(sdk.pullStartedAt()).isEqualTo(Instant.ofEpochSecond(10));
        assertThat(sdk.hasAttachments()).isFalse();
        assertThat(sdk.reason()).isNull();
        var binding = sdk.containers().getFirst().networkBindings().getFirst();
        assertThat(binding.hostPort()).isEqualTo(32768);
        assertThat(binding.protocolAsString()).isEqualTo("tcp");
        assertThat(sdk.containers().getFirst().runtimeId()).isEqualTo("abc");
    }
}
