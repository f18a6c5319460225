package dev.stevedore.control.ecs.service;

import dev.stevedore.model.ecs.ServiceEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A service's event log as stored: the latest {@link #MAX} events, newest first, the way
 * DescribeServices returns them. Kept apart from the service record so that writing an event does
 * not rewrite the service, and so only the controller writes it.
 *
 * <p>ECS leaves out an event that repeats one already shown for the same unresolved cause, until
 * six hours pass: an event identical to one written since the service was last steady, within
 * {@link #REPEAT_AFTER}, is dropped. "Steady state" itself repeats every {@link #REPEAT_AFTER}.
 */
public record ServiceEventLog(List<ServiceEvent> events) {
    public static final int MAX = 100;
    public static final Duration REPEAT_AFTER = Duration.ofHours(6);

    public ServiceEventLog {
        events = events == null ? List.of() : List.copyOf(events);
    }

    public static ServiceEventLog empty() {
        return new ServiceEventLog(List.of());
    }

    /** The log with {@code messages} added (in order, the last one newest), repeats dropped. */
    public ServiceEventLog with(List<String> messages, Instant now) {
        if (messages.isEmpty()) {
            return this;
        }
        List<ServiceEvent> out = new ArrayList<>(events);
        long millis = now.toEpochMilli();
        for (String message : messages) {
            if (isRepeat(out, message, now)) {
                continue;
            }
            // Events of one step are a millisecond apart, so their order survives the timestamps.
            out.addFirst(new ServiceEvent(Instant.ofEpochMilli(millis++), UUID.randomUUID().toString(), message));
        }
        while (out.size() > MAX) {
            out.removeLast();
        }
        return new ServiceEventLog(out);
    }

    /** When the service last reported steady state, if it did. */
    public java.util.Optional<Instant> lastSteadyAt() {
        return events.stream().filter(e -> e.message().endsWith(ServiceMessages.STEADY_SUFFIX))
                .map(ServiceEvent::createdAt).findFirst();
    }

    private static boolean isRepeat(List<ServiceEvent> log, String message, Instant now) {
        boolean steadyMessage = message.endsWith(ServiceMessages.STEADY_SUFFIX);
        for (ServiceEvent e : log) {
            if (e.message().equals(message)) {
                return e.createdAt().plus(REPEAT_AFTER).isAfter(now);
            }
            if (steadyMessage || e.message().endsWith(ServiceMessages.STEADY_SUFFIX)) {
                // Something happened since the service was last steady, or the cause of anything
                // older was resolved when it became steady: not a repeat either way.
                return false;
            }
        }
        return false;
    }
}
