package dev.stevedore.awsproto;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What one operation needs to be allowed, read off its checked input: the operation's declaration of
 * its action and resources. Rules run before the handler, on input that has passed shape validation,
 * and must not read the store: they name resources, they do not look them up.
 */
@FunctionalInterface
public interface AccessRule {

    List<AccessRequest> requests(CallContext ctx, ObjectNode input);

    /** The operation's action on no particular resource. */
    static AccessRule anyResource(String action) {
        List<AccessRequest> requests = List.of(AccessRequest.anyResource(action));
        return (ctx, input) -> requests;
    }
}
