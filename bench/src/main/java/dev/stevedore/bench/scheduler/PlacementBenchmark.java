package dev.stevedore.bench.scheduler;

import dev.stevedore.scheduler.ClusterSnapshot;
import dev.stevedore.scheduler.PlacementPlan;
import dev.stevedore.scheduler.PlacementRequest;
import dev.stevedore.scheduler.Scheduler;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One request against an immutable snapshot ({@link Scheduler#place}): the cost of planning a
 * RunTask of 1 or 10 tasks with spread over zones, binpack on memory and a memberOf constraint.
 * The snapshot is not changed by placing, so every call sees the same cluster; the requests
 * cycle through 64 sizes and ids so that no single request is what gets measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PlacementBenchmark {

    @Param({"1000", "5000", "10000"})
    public int instances;

    @Param({"1", "10"})
    public int count;

    private ClusterSnapshot snapshot;
    private List<PlacementRequest> requests;
    private int next;

    @Setup
    public void setUp() {
        snapshot = ClusterSnapshot.of(BenchCluster.instances(instances));
        requests = BenchCluster.requests(64, count);
        // The first placement on a snapshot lays it out; that is measured by the session benchmark.
        requests.forEach(r -> Scheduler.place(snapshot, r));
    }

    @Benchmark
    public PlacementPlan placeOneRequest() {
        PlacementRequest request = requests.get(next);
        next = (next + 1) & 63;
        return Scheduler.place(snapshot, request);
    }
}
