package dev.stevedore.agent.engine;

import java.util.Objects;
import java.util.Optional;

/**
 * What the engine knows about an {@code awsvpc} task's network namespace: the pause container that
 * holds it and the state of the task's attachment. Part of a {@link TaskRecord}.
 *
 * @param attachmentArn the attachment the state is reported under
 * @param pauseName     the engine name chosen for the pause container, recorded before it is
 *                      created so that a crash in between finds it again
 * @param pauseId       the pause container, once created
 * @param known         ATTACHED once the pause container runs with the task's address, DETACHED
 *                      once it is removed
 * @param lost          why the namespace was lost while the task ran (its pause container
 *                      stopped or vanished); the task is then stopped
 * @param reported      the last status the control plane acknowledged
 */
record TaskNetworkRecord(
        String attachmentArn,
        Optional<String> pauseName,
        Optional<String> pauseId,
        AttachmentStatus known,
        Optional<String> lost,
        AttachmentStatus reported) {

    TaskNetworkRecord {
        Objects.requireNonNull(attachmentArn, "attachmentArn");
        Objects.requireNonNull(pauseName, "pauseName");
        Objects.requireNonNull(pauseId, "pauseId");
        Objects.requireNonNull(known, "known");
        Objects.requireNonNull(lost, "lost");
        Objects.requireNonNull(reported, "reported");
    }

    static TaskNetworkRecord pending(String attachmentArn) {
        return new TaskNetworkRecord(attachmentArn, Optional.empty(), Optional.empty(), AttachmentStatus.NONE,
                Optional.empty(), AttachmentStatus.NONE);
    }

    boolean attached() {
        return known == AttachmentStatus.ATTACHED;
    }

    boolean detached() {
        return known == AttachmentStatus.DETACHED;
    }

    /** The pause container is about to be created under {@code name}: the namespace is being made. */
    TaskNetworkRecord withPauseName(String name) {
        return new TaskNetworkRecord(attachmentArn, Optional.of(name), pauseId,
                AttachmentStatus.max(known, AttachmentStatus.ATTACHING), lost, reported);
    }

    TaskNetworkRecord withPause(String name, String id) {
        return new TaskNetworkRecord(attachmentArn, Optional.of(name), Optional.of(id), known, lost, reported);
    }

    TaskNetworkRecord nowAttached() {
        return new TaskNetworkRecord(attachmentArn, pauseName, pauseId, AttachmentStatus.max(known, AttachmentStatus.ATTACHED),
                lost, reported);
    }

    TaskNetworkRecord nowDetached() {
        return new TaskNetworkRecord(attachmentArn, pauseName, pauseId, AttachmentStatus.DETACHED, lost, reported);
    }

    TaskNetworkRecord nowLost(String why) {
        return new TaskNetworkRecord(attachmentArn, pauseName, pauseId, known, lost.or(() -> Optional.of(why)), reported);
    }

    TaskNetworkRecord acknowledged(AttachmentStatus status) {
        return new TaskNetworkRecord(attachmentArn, pauseName, pauseId, known, lost, AttachmentStatus.max(reported, status));
    }
}
