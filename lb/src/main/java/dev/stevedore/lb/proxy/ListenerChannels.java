package dev.stevedore.lb.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The bound listener sockets, by endpoint ("address:port"). Called under the data plane's lock only. */
public final class ListenerChannels {

    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final Transport transport;
    private final ProxyContext proxy;
    private final Map<String, Channel> bound = new HashMap<>();

    public ListenerChannels(EventLoopGroup acceptors, EventLoopGroup workers, Transport transport, ProxyContext proxy) {
        this.acceptors = acceptors;
        this.workers = workers;
        this.transport = transport;
        this.proxy = proxy;
    }

    public boolean isBound(String endpoint) {
        return bound.containsKey(endpoint);
    }

    /** Binds a listener; its connections route by whatever snapshot is current when each request arrives. */
    public void bind(String address, int port) throws InterruptedException {
        String endpoint = Routing.endpoint(address, port);
        Channel channel = new ServerBootstrap().group(acceptors, workers).channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel client) {
                        client.pipeline().addLast(new HttpServerCodec(), new FrontendHandler(proxy, endpoint, port));
                    }
                })
                .bind(address, port).sync().channel();
        bound.put(endpoint, channel);
    }

    /** Stops accepting on every endpoint not kept; connections already accepted there end with their request. */
    public void unbindAllBut(Set<String> kept) {
        bound.entrySet().removeIf(entry -> {
            if (kept.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().close().syncUninterruptibly();
            return true;
        });
    }

    public void unbind(String endpoint) {
        Channel channel = bound.remove(endpoint);
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
    }
}
