package dev.stevedore.lb.proxy;

import dev.stevedore.lb.health.TargetState;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One request forwarded to one target, from the moment its target is picked to the last byte of the response
 * (or the error the client gets instead). Every method runs on the client connection's event loop.
 *
 * <p>ALB's statuses: a refused or failed connection is 502, a connection not made within 10 s or a target
 * silent for the idle timeout is 504, a target that closes before its response began is 502; once the
 * response has begun, a failure can only cut the client connection.
 */
final class Exchange {

    private final FrontendHandler front;
    private final ChannelHandlerContext client;
    private final ProxyContext proxy;
    private final TargetState target;
    private final HttpRequest request;
    private final boolean clientKeepAlive;
    private final String stickyCookie;
    private final long idleTimeoutNanos;
    private ArrayDeque<HttpContent> unsent = new ArrayDeque<>(2);
    private Channel backend;
    private boolean requestSent;
    private boolean pooled;
    private boolean retried;
    private boolean responseBegun;
    private boolean interim;
    private boolean backendKeepAlive;
    private boolean closeClientAfter;
    private boolean finished;
    private boolean backendNeedsFlush;
    private long lastActivity;
    private ScheduledFuture<?> idleTimer;

    Exchange(FrontendHandler front, ChannelHandlerContext client, ProxyContext proxy, TargetState target,
            HttpRequest request, boolean clientKeepAlive, String stickyCookie, long idleTimeoutNanos) {
        this.front = front;
        this.client = client;
        this.proxy = proxy;
        this.target = target;
        this.request = request;
        this.clientKeepAlive = clientKeepAlive;
        this.stickyCookie = stickyCookie;
        this.idleTimeoutNanos = idleTimeoutNanos;
    }

    EventLoop loop() {
        return client.channel().eventLoop();
    }

    boolean finished() {
        return finished;
    }

    void start() {
        target.requestStarted();
        lastActivity = System.nanoTime();
        idleTimer = loop().schedule(this::checkIdle, idleTimeoutNanos, TimeUnit.NANOSECONDS);
        Channel idle = proxy.pool().poll(target);
        if (idle != null) {
            pooled = true;
            attach(idle);
            return;
        }
        connect();
    }

    private void connect() {
        ChannelFuture connecting = proxy.connect(loop(), target.address());
        connecting.addListener(done -> {
            if (finished) {
                connecting.channel().close();
            } else if (!done.isSuccess()) {
                fail(done.cause() instanceof ConnectTimeoutException ? HttpResponseStatus.GATEWAY_TIMEOUT : HttpResponseStatus.BAD_GATEWAY);
            } else {
                target.connected(connecting.channel());
                attach(connecting.channel());
                flushBackend();
            }
        });
    }

    private void attach(Channel channel) {
        backend = channel;
        channel.pipeline().get(BackendHandler.class).serve(this);
        backend.write(request);
        requestSent = true;
        for (HttpContent content = unsent.poll(); content != null; content = unsent.poll()) {
            backend.write(content);
        }
        unsent = null;
        backendNeedsFlush = true;
        if (!channel.isActive()) {
            onBackendClosed();
        }
    }

    /** A piece of the request body from the client: straight on if connected, else kept until then. */
    void requestContent(HttpContent content) {
        lastActivity = System.nanoTime();
        if (backend == null) {
            unsent.add(content);
        } else {
            backend.write(content);
            backendNeedsFlush = true;
        }
    }

    /** The client's read burst is over: whatever was written to the target goes out in one flush. */
    void flushBackend() {
        if (backendNeedsFlush && backend != null) {
            backendNeedsFlush = false;
            backend.flush();
        }
    }

    void onResponse(HttpResponse response) {
        if (finished) {
            return;
        }
        if (response.decoderResult().isFailure()) {
            // What the target sent is no HTTP response: ALB answers 502 (its content, if any, is released
            // by onContent once this exchange has finished).
            fail(HttpResponseStatus.BAD_GATEWAY);
            return;
        }
        lastActivity = System.nanoTime();
        int status = response.status().code();
        // 100 Continue and friends precede the real response; 101 would switch protocols, which is not relayed.
        interim = status >= 100 && status < 200 && status != 101;
        if (!interim) {
            responseBegun = true;
            backendKeepAlive = HttpUtil.isKeepAlive(response);
        }
        HttpHeaders headers = response.headers();
        headers.remove(HttpHeaderNames.CONNECTION).remove(HttpHeaderNames.KEEP_ALIVE).remove("Proxy-Connection");
        if (!interim && !HttpUtil.isContentLengthSet(response) && !HttpUtil.isTransferEncodingChunked(response)
                && status != 204 && status != 304 && !HttpMethod.HEAD.equals(request.method())) {
            // The body runs until the target closes; the client can only tell its end the same way.
            closeClientAfter = true;
        }
        if (!interim && (!clientKeepAlive || closeClientAfter)) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (request.protocolVersion() == HttpVersion.HTTP_1_0 && clientKeepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        if (!interim && stickyCookie != null) {
            headers.add(HttpHeaderNames.SET_COOKIE, stickyCookie);
        }
        client.write(response);
    }

    void onContent(HttpContent content) {
        if (finished) {
            content.release();
            return;
        }
        if (content.decoderResult().isFailure()) {
            // The body broke off in a way the client could not tell from its end (a bad chunk): cut the
            // connection instead of ending the body as if it were whole.
            content.release();
            finish(false, true);
            return;
        }
        lastActivity = System.nanoTime();
        boolean last = content instanceof LastHttpContent;
        if (interim) {
            client.write(content);
            if (last) {
                interim = false;
            }
            return;
        }
        client.write(content);
        if (!client.channel().isWritable()) {
            backend.config().setAutoRead(false);
        }
        if (last) {
            client.flush();
            finish(backendKeepAlive && front.requestComplete(this), closeClientAfter || !clientKeepAlive);
        }
    }

    void onBackendReadComplete() {
        if (!finished) {
            client.flush();
        }
    }

    /** The client can take more: resume reading the target. */
    void clientWritable() {
        if (backend != null && !finished) {
            backend.config().setAutoRead(true);
        }
    }

    void onBackendClosed() {
        if (finished) {
            return;
        }
        if (pooled && !retried && !responseBegun && bodyless()) {
            // A kept-alive connection the target closed as we reused it: nothing was read, a bodiless request
            // can go again on a fresh connection (what a client would do with its own pool).
            retried = true;
            pooled = false;
            backend.pipeline().get(BackendHandler.class).release();
            backend = null;
            unsent = new ArrayDeque<>(1);
            if (front.requestComplete(this)) {
                unsent.add(LastHttpContent.EMPTY_LAST_CONTENT);
            }
            connect();
            return;
        }
        if (responseBegun) {
            finish(false, true);
        } else {
            fail(HttpResponseStatus.BAD_GATEWAY);
        }
    }

    /** The client went away: the target connection cannot be reused mid-exchange. */
    void clientClosed() {
        if (!finished) {
            finished = true;
            end();
            if (backend != null) {
                backend.close();
            }
            releaseUnsent();
        }
    }

    private boolean bodyless() {
        return !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0;
    }

    private void checkIdle() {
        if (finished) {
            return;
        }
        long silent = System.nanoTime() - lastActivity;
        if (silent < idleTimeoutNanos) {
            idleTimer = loop().schedule(this::checkIdle, idleTimeoutNanos - silent, TimeUnit.NANOSECONDS);
        } else if (responseBegun) {
            finish(false, true);
        } else {
            fail(HttpResponseStatus.GATEWAY_TIMEOUT);
        }
    }

    private void fail(HttpResponseStatus status) {
        finished = true;
        end();
        if (backend != null) {
            backend.pipeline().get(BackendHandler.class).release();
            backend.close();
        }
        releaseUnsent();
        front.answer(Responses.error(status), false);
    }

    private void finish(boolean reuseBackend, boolean closeClient) {
        finished = true;
        end();
        BackendHandler handler = backend.pipeline().get(BackendHandler.class);
        if (handler != null) {
            handler.release();
        }
        backend.config().setAutoRead(true);
        if (reuseBackend && !target.draining() && backend.isActive()) {
            proxy.pool().offer(target, backend);
        } else {
            backend.close();
        }
        front.responseEnded(closeClient);
    }

    private void end() {
        target.requestEnded();
        if (idleTimer != null) {
            idleTimer.cancel(false);
        }
    }

    private void releaseUnsent() {
        if (unsent != null) {
            unsent.forEach(ReferenceCountUtil::release);
            unsent.clear();
        }
        if (!requestSent) {
            ReferenceCountUtil.release(request);
        }
    }
}
