/**
 * The state store: a versioned key-value store with multi-key compare-and-set transactions and
 * watches that replay history from a revision, in the manner of etcd.
 *
 * <p>{@link dev.stevedore.store.StateStore} is the port the control plane writes against;
 * {@link dev.stevedore.store.InMemoryStateStore} and {@link dev.stevedore.store.SqliteStateStore}
 * are its embedded backends; {@link dev.stevedore.store.JournaledStateStore} runs the same core
 * over a {@link dev.stevedore.store.Journal} kept elsewhere (etcd, in the {@code store-etcd} module).
 * Every backend passes the same contract test suite ({@code StateStoreContract}, published in this
 * module's test-jar).
 */
package dev.stevedore.store;
