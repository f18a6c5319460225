package dev.stevedore.bench.tasks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Kinds of start measured in turn, round after round, with the order rotated every round so that
 * no kind always comes right after another kind's clean-up, and load from elsewhere lands on all.
 */
final class Interleaved {
    private Interleaved() {
    }

    /** One measurement of one kind. */
    interface Measure {
        Sample once() throws Exception;
    }

    /**
     * Runs {@code rounds} rounds of every kind, pausing {@code settle} after each measurement; keeps
     * the samples of the rounds after the first {@code warmup} in the kind's series.
     *
     * @param logEvery rounds between progress lines
     */
    static void run(String phase, int warmup, int rounds, Duration settle, int logEvery, List<Sample.Series> series,
                    List<Measure> kinds) throws Exception {
        long started = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            for (int k = 0; k < kinds.size(); k++) {
                int kind = (i + k) % kinds.size();
                Sample s = kinds.get(kind).once();
                if (i >= warmup) {
                    series.get(kind).add(s);
                }
                TimeUnit.NANOSECONDS.sleep(settle.toNanos());
            }
            if ((i + 1) % logEvery == 0) {
                TasksBenchmark.log(phase + ": " + (i + 1) + "/" + rounds + " rounds; load " + TasksBenchmark.load());
            }
        }
        TasksBenchmark.log(String.format("%s phase took %.0f s", phase, (System.nanoTime() - started) / 1e9));
    }
}
