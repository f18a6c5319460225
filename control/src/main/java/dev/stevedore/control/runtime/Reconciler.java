package dev.stevedore.control.runtime;

import java.time.Duration;
import java.util.Optional;

/**
 * A level-triggered controller's step for one key: read desired and actual state, act on the
 * difference, write status. Must be idempotent (it may run again for the same state) and must not
 * depend on being told what changed.
 *
 * @param <K> the key type (a service, a container instance)
 */
@FunctionalInterface
public interface Reconciler<K> {

    /**
     * @return when to look at the key again even if nothing changes (a timer: a task turning
     *     healthy after a while, a back-off ending); empty when only a change should bring it back
     * @throws RuntimeException the key is retried with a growing back-off
     */
    Optional<Duration> reconcile(K key);
}
