package dev.stevedore.lb.health;

import dev.stevedore.lb.config.HealthCheck;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Health checks on an event loop of their own, apart from the one serving requests: for each (target, check
 * settings) one periodic HTTP GET on a fresh connection (closed after, as ALB does), whose outcome goes to the
 * target's {@link TargetState}. {@link #watch} is called with the whole set on every configuration change.
 */
public final class HealthChecker implements AutoCloseable {

    /** What is checked and how; a change of settings is a new watch. */
    public record Watch(TargetState target, HealthCheck check) {
    }

    private final EventLoopGroup group;
    private final Class<? extends Channel> channelType;
    private final Map<Watch, ScheduledFuture<?>> running = new HashMap<>();

    public HealthChecker(EventLoopGroup group, Class<? extends Channel> channelType) {
        this.group = group;
        this.channelType = channelType;
    }

    /** Starts the checks not yet running and stops the ones no longer wanted. */
    public synchronized void watch(Iterable<Watch> wanted) {
        Map<Watch, ScheduledFuture<?>> kept = new HashMap<>();
        for (Watch watch : wanted) {
            ScheduledFuture<?> task = running.remove(watch);
            kept.put(watch, task != null ? task : start(watch));
        }
        running.values().forEach(task -> task.cancel(false));
        running.clear();
        running.putAll(kept);
    }

    private ScheduledFuture<?> start(Watch watch) {
        long interval = watch.check().interval().toMillis();
        // The first check goes out at once, so a new target is not left initial for a whole interval.
        return group.next().scheduleAtFixedRate(() -> check(watch), 0, interval, TimeUnit.MILLISECONDS);
    }

    private void check(Watch watch) {
        TargetState target = watch.target();
        HealthCheck check = watch.check();
        int port = check.port().orElse(target.port());
        // A host name that did not resolve when registered is tried again (never the wildcard address).
        InetSocketAddress address = target.address().isUnresolved()
                ? new InetSocketAddress(target.host(), port)
                : new InetSocketAddress(target.address().getAddress(), port);
        probe(address, target.host(), check,
                result -> target.checked(result, check));
    }

    private void probe(InetSocketAddress address, String host, HealthCheck check, Consumer<CheckResult> outcome) {
        int timeoutMillis = (int) check.timeout().toMillis();
        Probe probe = new Probe(outcome, check);
        ChannelFuture connect = new Bootstrap().group(group).channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(TargetCodec.create(), probe);
                    }
                })
                .connect(address);
        ScheduledFuture<?> deadline = group.next().schedule(() -> {
            probe.finish(CheckResult.timedOut());
            connect.channel().close();
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        connect.channel().closeFuture().addListener(closed -> deadline.cancel(false));
        connect.addListener(done -> {
            if (!done.isSuccess()) {
                probe.finish(done.cause() instanceof ConnectTimeoutException ? CheckResult.timedOut() : CheckResult.failed());
                return;
            }
            DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, check.path());
            request.headers().set(HttpHeaderNames.HOST, host + ":" + address.getPort())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                    .set(HttpHeaderNames.USER_AGENT, "ELB-HealthChecker/2.0");
            connect.channel().writeAndFlush(request);
        });
    }

    /** Reads the status line, then closes; a connection lost before it is a failed check. */
    private static final class Probe extends SimpleChannelInboundHandler<HttpObject> {
        private final Consumer<CheckResult> outcome;
        private final HealthCheck check;
        private boolean done;

        Probe(Consumer<CheckResult> outcome, HealthCheck check) {
            this.outcome = outcome;
            this.check = check;
        }

        // Called from the channel's loop and from the deadline, which may run on another loop of the group.
        synchronized void finish(CheckResult result) {
            if (!done) {
                done = true;
                outcome.accept(result);
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
            if (message instanceof HttpResponse response) {
                int status = response.status().code();
                finish(check.accepts(status) ? CheckResult.PASSED : CheckResult.codeMismatch(status));
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            finish(CheckResult.failed());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            finish(CheckResult.failed());
            ctx.close();
        }
    }

    @Override
    public synchronized void close() {
        running.values().forEach(task -> task.cancel(false));
        running.clear();
    }
}
