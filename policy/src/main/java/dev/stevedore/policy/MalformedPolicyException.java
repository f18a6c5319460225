package dev.stevedore.policy;

/**
 * A policy document that is not valid IAM policy grammar. The message is what IAM says to the caller
 * (IAM answers it as {@code MalformedPolicyDocument}), so it names what is wrong without echoing the
 * whole document.
 */
public final class MalformedPolicyException extends RuntimeException {
    public MalformedPolicyException(String message) {
        super(message);
    }
}
