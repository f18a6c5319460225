package dev.stevedore.lb;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A data plane, a client and a free listener port per test; backends made through it are closed after. */
abstract class PlaneTestBase {

    private final List<AutoCloseable> closing = new ArrayList<>();
    protected DataPlane plane;
    protected HttpClient client;
    protected int port;

    @BeforeEach
    void startPlane() throws Exception {
        plane = Fixtures.dataPlane();
        closing.add(plane);
        client = Fixtures.client();
        port = Fixtures.freePort();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    protected TestBackend backend(String name) throws Exception {
        TestBackend backend = new TestBackend(name);
        closing.add(backend);
        return backend;
    }

    protected <T extends AutoCloseable> T closeLater(T resource) {
        closing.add(resource);
        return resource;
    }
}
