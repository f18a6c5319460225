package dev.stevedore.control.ecs.task;

import java.util.List;

/**
 * Task status values and their order. A task's known status only moves forward along
 * {@link #ORDER}; the agent reports RUNNING and STOPPED, the control plane sets the others.
 */
public final class TaskStatus {
    public static final String PROVISIONING = "PROVISIONING";
    public static final String PENDING = "PENDING";
    public static final String ACTIVATING = "ACTIVATING";
    public static final String RUNNING = "RUNNING";
    public static final String DEACTIVATING = "DEACTIVATING";
    public static final String STOPPING = "STOPPING";
    public static final String DEPROVISIONING = "DEPROVISIONING";
    public static final String STOPPED = "STOPPED";

    static final List<String> ORDER = List.of(PROVISIONING, PENDING, ACTIVATING, RUNNING, DEACTIVATING, STOPPING,
            DEPROVISIONING, STOPPED);

    private TaskStatus() {
    }

    /** Whether moving from {@code current} to {@code next} goes forward. */
    public static boolean isForward(String current, String next) {
        return ORDER.indexOf(next) > ORDER.indexOf(current);
    }

    public static boolean isRunningOrLater(String status) {
        return ORDER.indexOf(status) >= ORDER.indexOf(RUNNING);
    }
}
