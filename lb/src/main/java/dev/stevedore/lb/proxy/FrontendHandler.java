package dev.stevedore.lb.proxy;

import dev.stevedore.lb.config.Action;
import dev.stevedore.lb.health.TargetState;
import dev.stevedore.lb.route.RouteTable;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * A client connection of a listener. Requests are answered in order, one at a time: a request that arrives
 * while the previous response is still running (pipelining) waits, and so does reading once a few wait.
 * Each request reads the routing snapshot once.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {

    private static final int MAX_WAITING = 64;
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("X-Forwarded-For");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("X-Forwarded-Proto");
    private static final AsciiString X_FORWARDED_PORT = AsciiString.cached("X-Forwarded-Port");
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("Proxy-Connection");
    private static final AsciiString HTTP = AsciiString.cached("http");

    private final ProxyContext proxy;
    private final String endpoint;
    private final String listenerPort;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private InetAddress clientAddress;
    private String clientIp;
    private Exchange exchange;
    private boolean requestOpen;
    private boolean responseOpen;
    private boolean keepAlive;
    private long lastActivity;

    FrontendHandler(ProxyContext proxy, String endpoint, int listenerPort) {
        this.proxy = proxy;
        this.endpoint = endpoint;
        this.listenerPort = Integer.toString(listenerPort);
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        ctx = context;
        InetSocketAddress remote = (InetSocketAddress) context.channel().remoteAddress();
        clientAddress = remote.getAddress();
        clientIp = clientAddress.getHostAddress();
        lastActivity = System.nanoTime();
        scheduleIdleCheck(proxy.routing().idleTimeoutNanos(endpoint));
        context.fireChannelActive();
    }

    /**
     * ALB closes a client connection on which nothing happened for the idle timeout. A request being served
     * is the exchange's to time out, so only a connection between requests is closed here.
     */
    private void scheduleIdleCheck(long delayNanos) {
        ctx.channel().eventLoop().schedule(() -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            long timeout = proxy.routing().idleTimeoutNanos(endpoint);
            long idle = System.nanoTime() - lastActivity;
            if (idle >= timeout && !requestOpen && !responseOpen) {
                ctx.close();
            } else {
                scheduleIdleCheck(Math.max(timeout - idle, timeout / 4));
            }
        }, delayNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        lastActivity = System.nanoTime();
        if (!waiting.isEmpty() || (message instanceof HttpRequest && responseOpen)) {
            waiting.add(message);
            if (waiting.size() >= MAX_WAITING) {
                context.channel().config().setAutoRead(false);
            }
            return;
        }
        handle(message);
    }

    private void handle(Object message) {
        if (message instanceof HttpRequest request) {
            onRequest(request);
        }
        if (message instanceof HttpContent content) {
            onContent(content);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        if (exchange != null) {
            exchange.flushBackend();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (exchange != null && context.channel().isWritable()) {
            exchange.clientWritable();
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (exchange != null) {
            exchange.clientClosed();
            exchange = null;
        }
        waiting.forEach(ReferenceCountUtil::release);
        waiting.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        context.close();
    }

    private void onRequest(HttpRequest request) {
        requestOpen = true;
        responseOpen = true;
        keepAlive = HttpUtil.isKeepAlive(request);
        if (request.decoderResult().isFailure()) {
            keepAlive = false;
            answer(Responses.error(HttpResponseStatus.BAD_REQUEST), true);
            return;
        }
        Routing routing = proxy.routing();
        RouteTable table = routing.listeners().get(endpoint);
        if (table == null) {
            // The listener was removed by the configuration this request sees: it no longer serves.
            ctx.close();
            return;
        }
        NettyRequestView view = new NettyRequestView(request, clientAddress);
        switch (table.route(view)) {
            case Action.Forward forward -> forward(request, forward, routing);
            case Action.FixedResponse fixed -> answer(Responses.of(HttpResponseStatus.valueOf(fixed.statusCode()),
                    fixed.contentType(), fixed.body()), false);
            case Action.Redirect redirect -> answer(Responses.redirect(redirect.statusCode(),
                    Redirects.location(redirect, view, listenerPort)), false);
        }
    }

    private void forward(HttpRequest request, Action.Forward action, Routing routing) {
        StickyGroups.Choice choice = StickyGroups.choose(action, request, routing);
        TargetState target = choice.group() == null ? null : choice.group().pick();
        if (target == null) {
            answer(Responses.error(HttpResponseStatus.SERVICE_UNAVAILABLE), false);
            return;
        }
        prepare(request);
        exchange = new Exchange(this, ctx, proxy, target, request, keepAlive, choice.cookie(), routing.idleTimeoutNanos(endpoint));
        exchange.start();
    }

    /** The request as the target gets it: HTTP/1.1 kept alive, with ALB's X-Forwarded headers. */
    private void prepare(HttpRequest request) {
        HttpHeaders headers = request.headers();
        headers.remove(HttpHeaderNames.CONNECTION).remove(HttpHeaderNames.KEEP_ALIVE).remove(PROXY_CONNECTION)
                .remove(HttpHeaderNames.TE).remove(HttpHeaderNames.UPGRADE);
        String forwarded = headers.get(X_FORWARDED_FOR);
        headers.set(X_FORWARDED_FOR, forwarded == null ? clientIp : forwarded + ", " + clientIp);
        headers.set(X_FORWARDED_PROTO, HTTP);
        headers.set(X_FORWARDED_PORT, listenerPort);
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    private void onContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (exchange != null && !exchange.finished()) {
            exchange.requestContent(content);
        } else {
            content.release();
        }
        if (last) {
            requestOpen = false;
            if (exchange != null && exchange.finished()) {
                exchange = null;
            }
            if (!responseOpen) {
                next();
            }
        }
    }

    /** Whether the request of this exchange has been read to its end (so its connection can be reused). */
    boolean requestComplete(Exchange of) {
        return exchange == of && !requestOpen;
    }

    /** A response the load balancer writes itself; the rest of the request's body, if any, is dropped. */
    void answer(FullHttpResponse response, boolean close) {
        boolean closeAfter = close || !keepAlive;
        if (closeAfter) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.writeAndFlush(response);
        responseEnded(closeAfter);
    }

    /** The response to the current request is written; the next waiting request may go. */
    void responseEnded(boolean close) {
        responseOpen = false;
        lastActivity = System.nanoTime();
        if (close) {
            ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (!requestOpen) {
            exchange = null;
            next();
        }
    }

    private void next() {
        while (!responseOpen && !waiting.isEmpty()) {
            handle(waiting.poll());
        }
        if (waiting.isEmpty() && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
        if (exchange != null) {
            exchange.flushBackend();
        }
    }
}
