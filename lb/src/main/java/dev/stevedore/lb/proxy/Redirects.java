package dev.stevedore.lb.proxy;

import dev.stevedore.lb.config.Action;
import dev.stevedore.lb.route.RequestView;
import java.util.Locale;

/** The Location of a redirect action: its templates with the request's parts put in, as ALB builds it. */
final class Redirects {

    private Redirects() {
    }

    static String location(Action.Redirect redirect, RequestView request, String listenerPort) {
        String path = request.path();
        String protocol = fill(redirect.protocol(), request, listenerPort, path).toLowerCase(Locale.ROOT);
        String host = fill(redirect.host(), request, listenerPort, path);
        String port = fill(redirect.port(), request, listenerPort, path);
        String newPath = fill(redirect.path(), request, listenerPort, path);
        String query = fill(redirect.query(), request, listenerPort, path);
        boolean defaultPort = ("http".equals(protocol) && "80".equals(port)) || ("https".equals(protocol) && "443".equals(port));
        return protocol + "://" + host + (defaultPort ? "" : ":" + port) + (newPath.startsWith("/") ? "" : "/") + newPath
                + (query.isEmpty() ? "" : "?" + query);
    }

    private static String fill(String template, RequestView request, String listenerPort, String path) {
        if (template.indexOf("#{") < 0) {
            return template;
        }
        return template.replace("#{protocol}", "HTTP")
                .replace("#{host}", request.host())
                .replace("#{port}", listenerPort)
                .replace("#{path}", path.startsWith("/") ? path.substring(1) : path)
                .replace("#{query}", request.query());
    }
}
