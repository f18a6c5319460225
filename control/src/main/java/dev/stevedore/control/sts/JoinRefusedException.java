package dev.stevedore.control.sts;

/** A join token or an agent's refresh that is refused; the message tells the operator why. */
public final class JoinRefusedException extends RuntimeException {
    public JoinRefusedException(String message) {
        super(message, null, false, false);
    }
}
