package dev.stevedore.awsproto;

import java.util.Optional;

/**
 * What an unexpected failure means for the caller, when the composition knows (the state store is
 * out of disk space, say): the 500 then says so instead of only "internal error". The failure's
 * own text never reaches the caller; only what the explainer words for it does.
 */
@FunctionalInterface
public interface FaultExplainer {

    FaultExplainer NONE = failure -> Optional.empty();

    /** The message for the caller's 500, or empty for the protocol's generic one. */
    Optional<String> explain(Throwable failure);
}
