package dev.stevedore.lb.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The responses the load balancer writes itself: its errors, fixed responses and redirects. */
final class Responses {

    static final String SERVER = "awselb/2.0";

    private Responses() {
    }

    /** ALB's own error page for a status (502, 503, 504, 400), an HTML document naming it. */
    static FullHttpResponse error(HttpResponseStatus status) {
        String title = status.code() + " " + status.reasonPhrase();
        String page = "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
                + "</h1></center>\r\n</body>\r\n</html>\r\n";
        return of(status, "text/html", page);
    }

    static FullHttpResponse of(HttpResponseStatus status, String contentType, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.SERVER, SERVER).setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        if (!contentType.isEmpty()) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        return response;
    }

    static FullHttpResponse redirect(int status, String location) {
        FullHttpResponse response = of(HttpResponseStatus.valueOf(status), "", "");
        response.headers().set(HttpHeaderNames.LOCATION, location);
        return response;
    }
}
