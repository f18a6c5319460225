package dev.stevedore.lb.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * The end of a backend connection: hands what the target sends to the exchange it currently serves (none
 * while the connection idles in the pool). Everything runs on the exchange's loop; with a per-loop pool that
 * is this channel's own, so nothing is handed over.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {

    private volatile Exchange exchange;

    void serve(Exchange served) {
        exchange = served;
    }

    void release() {
        exchange = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        Exchange current = exchange;
        if (current == null) {
            // A target talking while idle in the pool: nothing may be relayed, and the connection is unusable.
            ReferenceCountUtil.release(message);
            ctx.close();
            return;
        }
        if (current.loop().inEventLoop()) {
            relay(current, message);
        } else {
            current.loop().execute(() -> relay(current, message));
        }
    }

    private static void relay(Exchange exchange, Object message) {
        if (message instanceof HttpResponse response) {
            exchange.onResponse(response);
        }
        if (message instanceof HttpContent content) {
            exchange.onContent(content);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Exchange current = exchange;
        if (current != null) {
            run(current, current::onBackendReadComplete);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange current = exchange;
        if (current != null) {
            run(current, current::onBackendClosed);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private static void run(Exchange exchange, Runnable step) {
        EventLoop loop = exchange.loop();
        if (loop.inEventLoop()) {
            step.run();
        } else {
            loop.execute(step);
        }
    }
}
