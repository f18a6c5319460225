package dev.stevedore.awsproto;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Puts authorization in front of every operation of a service: the composition root wraps each
 * service's handlers here before handing them to their protocol endpoint, so no operation can run
 * without its {@link AccessRule} having been checked. A handler without a rule is refused at start-up.
 *
 * <p>The account root is never asked about: as on AWS, no identity policy applies to it. The rule runs
 * after shape validation (the endpoint's) and before the handler, so a denied call changes nothing.
 */
public final class GuardedOperations {

    private GuardedOperations() {
    }

    public static Map<String, JsonOperation> guard(Map<String, JsonOperation> handlers, Map<String, AccessRule> rules,
                                                   Authorizer authorizer, AccessDenials denials) {
        Map<String, JsonOperation> guarded = new LinkedHashMap<>();
        handlers.forEach((name, handler) -> {
            AccessRule rule = rules.get(name);
            if (rule == null) {
                throw new IllegalArgumentException("operation " + name + " declares no access rule");
            }
            guarded.put(name, (ctx, input) -> {
                if (!ctx.principal().isRoot()) {
                    for (AccessRequest request : rule.requests(ctx, input)) {
                        Optional<String> why = authorizer.denial(ctx, request);
                        if (why.isPresent()) {
                            throw denials.denied(AccessDenials.sentence(ctx.principal(), request, why.get()));
                        }
                    }
                }
                return handler.handle(ctx, input);
            });
        });
        return Map.copyOf(guarded);
    }
}
