package dev.stevedore.agent.host;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentHostTest {

    @Test
    void theClusterArnComesFromTheContainerInstanceArn() {
        assertThat(AgentHost.clusterArnOf("arn:aws:ecs:us-east-1:123456789012:container-instance/web/0123abcd"))
                .isEqualTo("arn:aws:ecs:us-east-1:123456789012:cluster/web");
        assertThatThrownBy(() -> AgentHost.clusterArnOf("arn:aws:ecs:us-east-1:1:task/web/1"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
