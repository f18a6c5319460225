package dev.stevedore.awsproto;

import java.util.Optional;

/**
 * Decides whether a caller may do what a request needs. Implemented where identities live; awsproto
 * only calls it, from {@link GuardedOperations}, the one place every operation passes through.
 */
public interface Authorizer {

    /**
     * Empty when {@code request} is allowed for the caller of {@code ctx}; otherwise why not, in the words
     * AWS appends to its denial ("because no identity-based policy allows the ecs:RunTask action").
     */
    Optional<String> denial(CallContext ctx, AccessRequest request);

    /** Allows everything: the account root's view of the world, and the state before identities existed. */
    static Authorizer allowAll() {
        return (ctx, request) -> Optional.empty();
    }
}
