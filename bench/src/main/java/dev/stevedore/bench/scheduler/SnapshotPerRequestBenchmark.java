package dev.stevedore.bench.scheduler;

import dev.stevedore.scheduler.ClusterSnapshot;
import dev.stevedore.scheduler.InstanceState;
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
 * A snapshot built for one request and dropped: how the control plane's RunTask placed tasks
 * before sessions existed, and what every caller that does not keep a snapshot or a session
 * pays. Dominated by laying the instances out, not by placing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SnapshotPerRequestBenchmark {

    @Param({"10000"})
    public int instances;

    private List<InstanceState> cluster;
    private List<PlacementRequest> requests;
    private int next;

    @Setup
    public void setUp() {
        cluster = BenchCluster.instances(instances);
        requests = BenchCluster.requests(64, 1);
    }

    @Benchmark
    public PlacementPlan buildSnapshotAndPlaceOne() {
        PlacementRequest request = requests.get(next);
        next = (next + 1) & 63;
        return Scheduler.place(ClusterSnapshot.of(cluster), request);
    }
}
