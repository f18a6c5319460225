package dev.stevedore.agent.runtime;

import java.util.Locale;

/** Transport protocol of a port mapping or binding. */
public enum Protocol {
    TCP,
    UDP;

    /** The engine's and ECS's spelling: {@code tcp} or {@code udp}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads {@code tcp} or {@code udp}; anything else is tcp, as ECS treats it. */
    public static Protocol fromWireName(String value) {
        return "udp".equals(value) ? UDP : TCP;
    }
}
