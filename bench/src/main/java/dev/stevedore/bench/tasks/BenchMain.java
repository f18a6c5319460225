package dev.stevedore.bench.tasks;

/**
 * The frame of a Docker benchmark's entry point: its clean-up runs on the way out, and from a
 * shutdown hook when the run is interrupted (Ctrl-C); the exit status says whether the run failed.
 */
final class BenchMain {
    private BenchMain() {
    }

    /** The benchmark itself. */
    interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body}, then {@code cleanUp} (which must be idempotent), and exits. */
    static void run(Body body, Runnable cleanUp) {
        Thread hook = new Thread(cleanUp, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        int status = 0;
        try {
            body.run();
        } catch (Exception | Error e) {
            e.printStackTrace();
            status = 1;
        } finally {
            cleanUp.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Interrupted with Ctrl-C: the hook is running (and finds nothing left to do).
            }
        }
        System.exit(status);
    }
}
