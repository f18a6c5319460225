package dev.stevedore.lb.health;

import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;

/**
 * The HTTP codec of every connection to a target, for requests and health checks alike. Its decoder takes a
 * line ended by a lone LF as RFC 9112 (section 2.2) allows a recipient to: targets are the user's own servers,
 * and some write such lines (busybox httpd relays a CGI script's header lines as the script wrote them).
 * Netty's strict default is meant for requests from clients, where line endings are a smuggling risk; the
 * listener side keeps it.
 */
public final class TargetCodec {

    private TargetCodec() {
    }

    public static HttpClientCodec create() {
        return new HttpClientCodec(new HttpDecoderConfig().setStrictLineParsing(false), false, false);
    }
}
