package dev.stevedore.awsproto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Handlers that remember the inputs they receive and answer a preset output, for the endpoint tests. */
final class RecordingHandlers {

    private final List<ObjectNode> inputs = new ArrayList<>();
    private Object nextOutput = null;

    /** A handler that records its input and answers the preset output. */
    JsonOperation recording() {
        return (ctx, input) -> {
            inputs.add(input.deepCopy());
            return nextOutput;
        };
    }

    /** The inputs received so far, oldest first. */
    List<ObjectNode> inputs() {
        return inputs;
    }

    /** Sets what the recording handlers answer from now on. */
    void answer(Object output) {
        nextOutput = output;
    }

    /** A form call to an endpoint as Alice, in us-east-1, with request id {@code req-1}. */
    static HttpResponse call(ProtocolEndpoint endpoint, String body) {
        return endpoint.handle(Ec2ProtocolEndpointTest.form(body), Signing.ALICE, "us-east-1", "req-1");
    }

    /** The input a recording handler received for a call that must succeed. */
    JsonNode input(ProtocolEndpoint endpoint, String body) {
        HttpResponse response = call(endpoint, body);
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        return inputs.get(inputs.size() - 1);
    }
}
