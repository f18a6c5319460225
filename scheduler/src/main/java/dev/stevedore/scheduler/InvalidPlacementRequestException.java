package dev.stevedore.scheduler;

/**
 * A placement request ECS would refuse; maps to {@code InvalidParameterException} with this
 * message.
 */
public final class InvalidPlacementRequestException extends SchedulerException {

    private static final long serialVersionUID = 1L;

    public InvalidPlacementRequestException(String message) {
        super(message);
    }

    public InvalidPlacementRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
