package dev.stevedore.awsproto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AwsErrorResponseTest {

    @Test
    void readsWhatTheServerWrites() {
        HttpResponse written = JsonErrorWriter.generic().write(
                AwsException.clientError("ClusterNotFoundException", "Cluster not found."), "req-1");

        AwsErrorResponse read = AwsErrorResponse.parse(Optional.ofNullable(written.headers().get("X-Amzn-ErrorType")),
                written.body());

        assertThat(read).isEqualTo(new AwsErrorResponse("ClusterNotFoundException", "Cluster not found."));
    }

    @Test
    void aQualifiedTypeIsCutToTheBareCode() {
        AwsErrorResponse read = AwsErrorResponse.parse(Optional.empty(), bytes(
                "{\"__type\":\"com.amazonaws.ecs#ClientException:http://internal.amazon.com/coral/\",\"Message\":\"no\"}"));

        assertThat(read).isEqualTo(new AwsErrorResponse("ClientException", "no"));
    }

    @Test
    void withoutATypeInTheBodyTheHeaderNamesTheCode() {
        AwsErrorResponse read = AwsErrorResponse.parse(Optional.of("ThrottlingException:http://x"), bytes("{}"));

        assertThat(read).isEqualTo(new AwsErrorResponse("ThrottlingException", ""));
    }

    @Test
    void aBodyThatIsNoJsonYieldsNothingRatherThanAnError() {
        AwsErrorResponse read = AwsErrorResponse.parse(Optional.empty(), bytes("<html>Bad Gateway</html>"));

        assertThat(read).isEqualTo(new AwsErrorResponse("", ""));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
