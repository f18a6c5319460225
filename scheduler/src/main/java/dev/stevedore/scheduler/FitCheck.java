package dev.stevedore.scheduler;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of re-checking one task against one instance.
 *
 * @param failureReason the ECS reason the task does not fit, or empty when it fits
 */
public record FitCheck(Optional<String> failureReason) {

    private static final FitCheck FITS = new FitCheck(Optional.empty());

    public FitCheck {
        Objects.requireNonNull(failureReason, "failureReason");
    }

    public static FitCheck fitting() {
        return FITS;
    }

    public static FitCheck failing(String reason) {
        return new FitCheck(Optional.of(reason));
    }

    public boolean fits() {
        return failureReason.isEmpty();
    }
}
