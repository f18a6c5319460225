package dev.stevedore.bench.scheduler;

import dev.stevedore.scheduler.ClusterSnapshot;
import dev.stevedore.scheduler.PlacementRequest;
import dev.stevedore.scheduler.PlacementSession;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A {@link PlacementSession} placing {@value #TASKS} single-task requests in a row, each seeing
 * the ones before: the plan applier's loop without the store. The score is placements per
 * second. Each invocation starts from a new session on the same snapshot (made outside the
 * measurement); the indexes the session builds on its second request are measured, spread
 * over the run. {@code cluster}: {@code partly-used} is {@link BenchCluster#instances(int)};
 * {@code fresh} is a just-registered cluster of identical empty instances, binpack's worst case.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(SessionBenchmark.TASKS)
public class SessionBenchmark {

    static final int TASKS = 10_000;

    @Param({"10000"})
    public int instances;

    @Param({"partly-used", "fresh"})
    public String cluster;

    private ClusterSnapshot snapshot;
    private List<PlacementRequest> requests;
    private PlacementSession session;

    @Setup(Level.Trial)
    public void setUpCluster() {
        snapshot = ClusterSnapshot.of(BenchCluster.instances(instances, cluster.equals("fresh")));
        requests = BenchCluster.requests(TASKS, 1);
    }

    @Setup(Level.Invocation)
    public void openSession() {
        session = PlacementSession.open(snapshot);
    }

    @Benchmark
    public int placeTasksInARow() {
        int placed = 0;
        for (PlacementRequest request : requests) {
            placed += session.place(request).placements().size();
        }
        return placed;
    }
}
