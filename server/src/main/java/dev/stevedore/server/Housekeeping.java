package dev.stevedore.server;

import dev.stevedore.control.ecs.task.StoppedTaskReaper;
import dev.stevedore.control.logs.RetentionSweep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Periodic clean-up passes of the control plane, each on its own schedule; a failing pass is
 * logged and tried again next time.
 */
final class Housekeeping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("stevedore-housekeeping").factory());

    /** @param imageLifecycle applies the ECR repositories' lifecycle policies (images age into their rules) */
    Housekeeping(StoppedTaskReaper reaper, RetentionSweep logRetention, Runnable imageLifecycle, Clock clock,
                 Duration every) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                imageLifecycle.run();
            } catch (RuntimeException e) {
                LOG.warn("image lifecycle sweep failed; trying again later", e);
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(() -> {
            try {
                long removed = logRetention.sweep();
                if (removed > 0) {
                    LOG.debug("removed {} log events past their group's retention", removed);
                }
            } catch (RuntimeException e) {
                LOG.warn("log retention sweep failed; trying again later", e);
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(() -> {
            try {
                int removed = reaper.reap(clock.instant());
                if (removed > 0) {
                    LOG.debug("removed {} expired stopped tasks and tokens", removed);
                }
            } catch (RuntimeException e) {
                LOG.warn("stopped-task clean-up failed; trying again later", e);
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
