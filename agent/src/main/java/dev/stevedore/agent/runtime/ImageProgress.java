package dev.stevedore.agent.runtime;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.PushResponseItem;
import com.github.dockerjava.api.model.ResponseItem;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the engine's progress streams of a pull and a push said went wrong, if anything. */
final class ImageProgress {
    private static final Logger log = LoggerFactory.getLogger(ImageProgress.class);

    private ImageProgress() {
    }

    /** An error inside a progress stream, in the engine's words. */
    private static Optional<String> error(ResponseItem item) {
        if (!item.isErrorIndicated()) {
            return Optional.empty();
        }
        return Optional.of(item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                ? item.getErrorDetail().getMessage() : String.valueOf(item.getError()));
    }

    /** Collects the outcome of a pull: a transport-level failure, or an error inside the progress stream. */
    static final class Pull extends ResultCallback.Adapter<PullResponseItem> {
        volatile Optional<RuntimeException> failure = Optional.empty();
        volatile Optional<String> streamError = Optional.empty();

        @Override
        public void onNext(PullResponseItem item) {
            if (streamError.isEmpty()) {
                streamError = error(item);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            if (failure.isEmpty()) {
                failure = Optional.of(throwable instanceof RuntimeException re ? re : new RuntimeException(throwable));
            }
            try {
                close();
            } catch (IOException e) {
                log.debug("closing a failed pull", e);
            }
        }
    }

    /** Keeps the first error inside a push's progress stream. */
    static final class Push extends ResultCallback.Adapter<PushResponseItem> {
        volatile Optional<String> streamError = Optional.empty();

        @Override
        public void onNext(PushResponseItem item) {
            if (streamError.isEmpty()) {
                streamError = error(item);
            }
        }
    }
}
