package dev.stevedore.scheduler.placement;

import dev.stevedore.scheduler.BinpackField;

/** {@code binpack}: prefers the instance left with the least CPU or memory once the task is on it. */
final class BinpackScorer extends Scorer {

    private final Working working;
    private final BinpackField field;

    BinpackScorer(Working working, BinpackField field) {
        this.working = working;
        this.field = field;
    }

    @Override
    long score(int i) {
        return field == BinpackField.CPU
                ? working.cpu(i) - working.task.cpu()
                : working.memory(i) - working.task.memoryMiB();
    }
}
