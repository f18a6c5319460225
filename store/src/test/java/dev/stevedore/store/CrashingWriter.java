package dev.stevedore.store;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A child process for the crash test: opens a store and commits from several threads until it
 * is killed, printing one line per acknowledged commit ({@code ACK <revision> <key> END}) only
 * after {@code commit} has returned.
 */
public final class CrashingWriter {

    private CrashingWriter() {}

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        PrintStream out = System.out;
        SqliteStateStore store = SqliteStateStore.open(file);
        for (int t = 0; t < threads; t++) {
            int writer = t;
            Thread.ofPlatform().start(() -> {
                for (long i = 0; ; i++) {
                    String key = "/crash/" + writer + "/" + i;
                    TxnResult result = store.commit(Txn.builder().put(key, key).build());
                    synchronized (out) {
                        out.println("ACK " + result.revision() + " " + key + " END");
                        out.flush();
                    }
                }
            });
        }
    }
}
