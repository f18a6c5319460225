package dev.stevedore.awsproto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Handlers that remember the calls and inputs they receive, for the endpoint tests. Safe to call from
 * a server's threads: the test thread reads what they recorded after the call has been answered.
 */
final class RecordingHandlers {

    private final List<ObjectNode> inputs = new CopyOnWriteArrayList<>();
    private final List<CallContext> calls = new CopyOnWriteArrayList<>();
    private volatile Object nextOutput = null;

    /** A handler that records its call and answers the preset output. */
    JsonOperation recording() {
        return recording((ctx, input) -> nextOutput);
    }

    /** A handler that records its call, then runs {@code operation}. */
    JsonOperation recording(JsonOperation operation) {
        return (ctx, input) -> {
            calls.add(ctx);
            inputs.add(input.deepCopy());
            return operation.handle(ctx, input);
        };
    }

    /** The inputs received so far, oldest first. */
    List<ObjectNode> inputs() {
        return inputs;
    }

    /** The calls received so far, oldest first. */
    List<CallContext> calls() {
        return calls;
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
