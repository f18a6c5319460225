package dev.stevedore.lb.proxy;

import dev.stevedore.lb.health.TargetCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;

/** What every connection of the proxy shares: the current routing snapshot, the backend pool, the transport. */
public final class ProxyContext {

    /** ALB's limit for establishing a connection to a target; past it the client gets a 504. */
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final AtomicReference<Routing> routing = new AtomicReference<>(Routing.EMPTY);
    private final BackendPool pool;
    private final Transport transport;

    public ProxyContext(BackendPool pool, Transport transport) {
        this.pool = pool;
        this.transport = transport;
    }

    public Routing routing() {
        return routing.get();
    }

    public void routing(Routing snapshot) {
        routing.set(snapshot);
    }

    public BackendPool pool() {
        return pool;
    }

    /** A new connection to a target, on the given loop (the client connection's, so they share a thread). */
    ChannelFuture connect(EventLoop loop, InetSocketAddress target) {
        return new Bootstrap().group(loop).channel(transport.channel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(TargetCodec.create(), new BackendHandler());
                    }
                })
                .connect(target);
    }
}
