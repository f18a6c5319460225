package dev.stevedore.scheduler.placement;

/**
 * Picks the best candidate for one task: strategies compared in order (the first decides, each
 * later one only breaks the previous ties), then a seeded hash, then the ARN.
 *
 * <p>One pass over the candidates keeping the best one's scores; a candidate's later scores are
 * computed only when the earlier ones tie, so the usual cost is one score per candidate and no
 * allocation.
 */
final class Ranking {

    private final ClusterIndex index;
    private final Scorer[] scorers;
    private final long tieSeed;
    private final long[] bestScores;

    Ranking(ClusterIndex index, Scorer[] scorers, long seed) {
        this.index = index;
        this.scorers = scorers;
        this.tieSeed = Seeds.mix(seed, -1L);
        this.bestScores = new long[scorers.length];
    }

    /** The preferred candidate for task {@code taskIndex}; there must be at least one. */
    int best(Candidates candidates, int taskIndex) {
        for (Scorer scorer : scorers) {
            scorer.beginTask(taskIndex);
        }
        long taskTieSeed = Seeds.mix(tieSeed, taskIndex);
        int best = candidates.get(0);
        scoreFrom(0, best);
        long bestTie = Seeds.mix(taskTieSeed, index.arnHashes[best]);
        for (int k = 1; k < candidates.size(); k++) {
            int i = candidates.get(k);
            int decided = compare(i);
            if (decided < 0) {
                best = i;
                bestTie = Seeds.mix(taskTieSeed, index.arnHashes[i]);
            } else if (decided == 0) {
                long tie = Seeds.mix(taskTieSeed, index.arnHashes[i]);
                if (tie < bestTie || (tie == bestTie && index.arns[i].compareTo(index.arns[best]) < 0)) {
                    best = i;
                    bestTie = tie;
                }
            }
        }
        return best;
    }

    /**
     * Compares candidate {@code i} with the best so far by the strategies: negative when
     * {@code i} is better (its scores are then the best scores), positive when worse, 0 on a tie.
     */
    private int compare(int i) {
        for (int s = 0; s < scorers.length; s++) {
            long score = scorers[s].score(i);
            if (score != bestScores[s]) {
                if (score > bestScores[s]) {
                    return 1;
                }
                bestScores[s] = score;
                scoreFrom(s + 1, i);
                return -1;
            }
        }
        return 0;
    }

    private void scoreFrom(int first, int i) {
        for (int s = first; s < scorers.length; s++) {
            bestScores[s] = scorers[s].score(i);
        }
    }
}
