package dev.stevedore.lb.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * Netty's native epoll transport when its library is on the class path and loads, else NIO. The choice is
 * made once per process.
 */
public record Transport(String name, IoHandlerFactory handlers, Class<? extends ServerChannel> serverChannel,
        Class<? extends Channel> channel) {

    public static Transport best() {
        if (!Boolean.getBoolean("stevedore.lb.nio") && epollLoads()) {
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class);
        }
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    public EventLoopGroup group(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, handlers);
    }

    private static boolean epollLoads() {
        try {
            return Epoll.isAvailable();
        } catch (LinkageError missing) {
            return false;
        }
    }
}
