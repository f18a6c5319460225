package dev.stevedore.scheduler.placement;

/**
 * Picks the best of the candidates offered for one task: strategies compared in order (the first
 * decides, each later one only breaks the previous ties), then a seeded tie-break, then the ARN.
 * The result does not depend on the order candidates are offered in, which is what lets the search
 * visit them through whichever index is fastest.
 *
 * <p>The tie-break is the distance, going up around the ring of 64-bit ARN hashes, from a point
 * drawn per task to the instance's hash: as random as a per-task hash of the ARN, but an index
 * sorted by ARN hash can list the candidates in tie-break order, so a search that only needs the
 * first candidate with the lowest possible scores can stop there ({@link #tie}).
 *
 * <p>Keeps the best one's scores; a candidate's later scores are computed only when the earlier
 * ones tie, so the usual cost is one score per candidate and no allocation.
 */
final class Ranking {

    private final ClusterState state;
    private final Scorer[] scorers;
    private final long tieSeed;
    private final long[] bestScores;
    /** Where on the ring of ARN hashes the current task's tie-break starts. */
    private long taskTieStart;
    private int best;
    private long bestTie;

    Ranking(ClusterState state, Scorer[] scorers, long seed) {
        this.state = state;
        this.scorers = scorers;
        this.tieSeed = Seeds.mix(seed, -1L);
        this.bestScores = new long[scorers.length];
    }

    /** Starts ranking for task {@code taskIndex}, with no candidate yet. */
    void begin(int taskIndex) {
        for (Scorer scorer : scorers) {
            scorer.beginTask(taskIndex);
        }
        taskTieStart = Seeds.mix(tieSeed, taskIndex);
        best = -1;
    }

    /** Where the current task's tie-break starts: the instance whose ARN hash is this or next above it wins ties. */
    long tieStart() {
        return taskTieStart;
    }

    /**
     * Instance {@code i}'s tie-break for the current task, lower wins: the unsigned distance from
     * {@link #tieStart} up to its ARN hash, flipped so that a signed comparison orders it.
     */
    long tie(int i) {
        return (state.arnHashes[i] - taskTieStart) ^ Long.MIN_VALUE;
    }

    /** The best candidate offered since {@link #begin}, or -1 if none was. */
    int best() {
        return best;
    }

    void offer(int i) {
        offerFrom(i, 0, 0);
    }

    /**
     * Offers the first candidate found in a level of candidates that all share its scores for
     * the first {@code prefix} strategies (a key level of a binpack order, a spread value). False
     * when it lost on one of those: then so would every other member of the level, which need
     * not be looked at.
     */
    boolean offerLeader(int i, int prefix) {
        return offerFrom(i, 0, prefix);
    }

    /**
     * Offers another member of the level whose leader was offered and did not lose on the shared
     * scores: those are now the best's too, so only the later strategies and the tie-break are
     * compared.
     */
    void offerFollower(int i, int prefix) {
        offerFrom(i, prefix, 0);
    }

    /**
     * Offers {@code i}, whose scores for the strategies before {@code from} are known to equal
     * the best's. Returns false when {@code i} lost on a strategy before {@code prefix}.
     */
    private boolean offerFrom(int i, int from, int prefix) {
        if (best < 0) {
            best = i;
            scoreFrom(0, i);
            bestTie = tie(i);
            return true;
        }
        for (int s = from; s < scorers.length; s++) {
            long score = scorers[s].score(i);
            if (score != bestScores[s]) {
                if (score > bestScores[s]) {
                    return s >= prefix;
                }
                best = i;
                bestScores[s] = score;
                scoreFrom(s + 1, i);
                bestTie = tie(i);
                return true;
            }
        }
        long tie = tie(i);
        if (tie < bestTie || (tie == bestTie && state.arns[i].compareTo(state.arns[best]) < 0)) {
            best = i;
            bestTie = tie;
        }
        return true;
    }

    private void scoreFrom(int first, int i) {
        for (int s = first; s < scorers.length; s++) {
            bestScores[s] = scorers[s].score(i);
        }
    }
}
