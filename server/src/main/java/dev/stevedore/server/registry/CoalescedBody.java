package dev.stevedore.server.registry;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A request body as the front door passes it to the registry: the pieces the HTTP decoder hands over (8 KiB
 * or less each, often much less when the client writes small chunks) gathered into pieces of at least
 * {@code size} bytes, so that a layer upload costs a few hundred writes to the registry rather than
 * thousands. Each write to the registry's connection is a trip through Netty's pipeline and a system call,
 * and often a hand-over to the event loop that connection belongs to; per piece that was most of the
 * front door's CPU on a push (BENCHMARKS.md, "Image registry"). Pausing and resuming go to the request,
 * so the registry's back-pressure still holds the client; what is gathered is flushed at the body's end.
 */
final class CoalescedBody implements ReadStream<Buffer> {
    private final ReadStream<Buffer> source;
    private final int size;
    private Buffer gathered;
    private Handler<Buffer> handler;

    CoalescedBody(ReadStream<Buffer> source, int size) {
        this.source = source;
        this.size = size;
        this.gathered = Buffer.buffer(size);
    }

    @Override
    public CoalescedBody handler(Handler<Buffer> handler) {
        this.handler = handler;
        source.handler(handler == null ? null : piece -> {
            gathered.appendBuffer(piece);
            if (gathered.length() >= size) {
                handler.handle(take());
            }
        });
        return this;
    }

    @Override
    public CoalescedBody endHandler(Handler<Void> endHandler) {
        source.endHandler(endHandler == null ? null : end -> {
            Buffer rest = take();
            if (rest.length() > 0 && handler != null) {
                handler.handle(rest);
            }
            endHandler.handle(end);
        });
        return this;
    }

    private Buffer take() {
        Buffer taken = gathered;
        gathered = Buffer.buffer(size);
        return taken;
    }

    @Override
    public CoalescedBody exceptionHandler(Handler<Throwable> handler) {
        source.exceptionHandler(handler);
        return this;
    }

    @Override
    public CoalescedBody pause() {
        source.pause();
        return this;
    }

    @Override
    public CoalescedBody resume() {
        source.resume();
        return this;
    }

    @Override
    public CoalescedBody fetch(long amount) {
        source.fetch(amount);
        return this;
    }
}
