package dev.stevedore.server;

/**
 * A response written as things happen rather than whole: a stream of Server-Sent Events the edge keeps
 * open. It runs on a virtual thread of its own and returns when it has nothing more to say or its sink
 * closes (the client went away, the server stops); the edge then ends the response.
 */
@FunctionalInterface
public interface EventStream {

    /** Writes to {@code sink} until done; an interrupt means the client is gone. */
    void run(Sink sink) throws InterruptedException;

    /** Where a stream's events go: the open connection. Vert.x stays behind it. */
    interface Sink {
        /** Whether the client still listens. */
        boolean open();

        /** One event: a name (none when empty) and its data, a single line. */
        void send(String event, String data);

        /** A comment line: keeps proxies and the browser from taking a quiet stream for a dead one. */
        void keepAlive();
    }
}
