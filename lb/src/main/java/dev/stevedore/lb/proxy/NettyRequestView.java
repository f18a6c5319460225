package dev.stevedore.lb.proxy;

import dev.stevedore.lb.route.RequestView;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetAddress;
import java.util.List;

/** A request as rule conditions see it; the URI is split once, on first use. */
final class NettyRequestView implements RequestView {

    private final HttpRequest request;
    private final InetAddress source;
    private String path;
    private String query;

    NettyRequestView(HttpRequest request, InetAddress source) {
        this.request = request;
        this.source = source;
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String path() {
        split();
        return path;
    }

    @Override
    public String query() {
        split();
        return query;
    }

    private void split() {
        if (path == null) {
            String uri = request.uri();
            // An absolute-form target (http://host/path) routes by its path like an origin-form one.
            if (uri.startsWith("http://") || uri.startsWith("https://")) {
                int slash = uri.indexOf('/', uri.indexOf("//") + 2);
                uri = slash < 0 ? "/" : uri.substring(slash);
            }
            int mark = uri.indexOf('?');
            path = mark < 0 ? uri : uri.substring(0, mark);
            query = mark < 0 ? "" : uri.substring(mark + 1);
        }
    }

    @Override
    public String host() {
        return hostWithoutPort(request.headers().get(HttpHeaderNames.HOST, ""));
    }

    static String hostWithoutPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    @Override
    public List<String> headers(String name) {
        return request.headers().getAll(name);
    }

    @Override
    public InetAddress source() {
        return source;
    }
}
