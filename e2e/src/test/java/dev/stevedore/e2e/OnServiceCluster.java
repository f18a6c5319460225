package dev.stevedore.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

/**
 * A test class whose tests share one {@link ServiceCluster}: a server started with the class's
 * {@code stevedore up} options and one agent in each of three zones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OnServiceCluster {
    static final List<String> ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");

    private final String prefix;
    private final String[] upOptions;
    ServiceCluster cluster;

    OnServiceCluster(String prefix, String... upOptions) {
        this.prefix = prefix;
        this.upOptions = upOptions;
    }

    @BeforeAll
    void startCluster() throws Exception {
        cluster = ServiceCluster.start(prefix, ZONES, upOptions);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
