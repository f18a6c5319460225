package dev.stevedore.e2e;

/** Ending what a test class started, in order, whatever fails on the way. */
final class Closeables {
    private Closeables() {
    }

    /** Closes each (nulls skipped); a failure to close one does not keep the next from being closed. */
    static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable c : resources) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // Best effort: what is left behind (containers) is removed by the caller either way.
            }
        }
    }
}
