package dev.stevedore.lb.route;

import java.net.InetAddress;
import java.util.List;

/** What rule conditions look at in a request; the proxy implements it over its HTTP codec's request. */
public interface RequestView {

    String method();

    /** The path, without the query string. */
    String path();

    /** The raw query string without the {@code ?}, empty when there is none. */
    String query();

    /** The Host header without a port, empty when absent. */
    String host();

    /** Every value of a header (name case-insensitive). */
    List<String> headers(String name);

    InetAddress source();
}
