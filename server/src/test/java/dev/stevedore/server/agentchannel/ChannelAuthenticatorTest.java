package dev.stevedore.server.agentchannel;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ChannelAuthenticatorTest {

    @Test
    void readsThePercentEncodedInstanceParameter() {
        String query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&containerInstance=arn%3Aaws%3Aecs%3Aus-east-1%3A1%3A"
                + "container-instance%2Fdefault%2Fabc&X-Amz-Signature=00";

        assertThat(ChannelAuthenticator.queryParameter(query, "containerInstance"))
                .contains("arn:aws:ecs:us-east-1:1:container-instance/default/abc");
    }

    @Test
    void aPlusIsAPlusNotASpace() {
        assertThat(ChannelAuthenticator.queryParameter("a=x+y", "a")).contains("x+y");
    }

    @Test
    void missingOrEmptyIsAbsent() {
        assertThat(ChannelAuthenticator.queryParameter("", "containerInstance")).isEmpty();
        assertThat(ChannelAuthenticator.queryParameter("containerInstance=", "containerInstance")).isEmpty();
        assertThat(ChannelAuthenticator.queryParameter("containerInstance", "containerInstance")).isEqualTo(Optional.empty());
    }
}
