package dev.stevedore.store;

/**
 * The outcome of {@link StateStore#commit}: whether the conditions held, and the revision —
 * the new one when the transaction changed something, otherwise the store's current one.
 */
public record TxnResult(boolean succeeded, long revision) {}
