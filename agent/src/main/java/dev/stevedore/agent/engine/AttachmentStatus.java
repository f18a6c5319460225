package dev.stevedore.agent.engine;

/**
 * An {@code awsvpc} task's network attachment as the agent reports it with
 * {@code SubmitAttachmentStateChanges}; ordered, and never going back.
 */
enum AttachmentStatus {
    /** Nothing reported yet. */
    NONE,
    /**
     * The agent is making the task's network namespace (the pause container is about to be
     * created): reported as it begins, so the attachment shows ATTACHING, not PRECREATED, meanwhile.
     * An ATTACHED that is ready before this one is sent supersedes it.
     */
    ATTACHING,
    /** The task's network namespace has its address: reported before the task can be RUNNING. */
    ATTACHED,
    /** The namespace is gone: reported before the task's STOPPED. */
    DETACHED;

    boolean isAfter(AttachmentStatus other) {
        return compareTo(other) > 0;
    }

    static AttachmentStatus max(AttachmentStatus a, AttachmentStatus b) {
        return a.isAfter(b) ? a : b;
    }
}
