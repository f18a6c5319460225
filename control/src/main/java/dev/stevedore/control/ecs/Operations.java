package dev.stevedore.control.ecs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.state.Records;

import java.util.function.BiFunction;

/**
 * Adapts a handler written against a generated request record to the wire layer's JSON operation.
 */
public final class Operations {
    private Operations() {
    }

    public static <Q> JsonOperation typed(Class<Q> requestType, BiFunction<CallContext, Q, Object> handler) {
        return (CallContext ctx, ObjectNode input) -> handler.apply(ctx, Records.convert(input, requestType));
    }
}
