package dev.stevedore.control.secretsmanager;

import dev.stevedore.awsproto.AwsException;

/** The errors Secrets Manager answers, with its wording. All are client errors (400). */
final class SecretsManagerErrors {
    private SecretsManagerErrors() {
    }

    static AwsException notFound() {
        return AwsException.clientError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    }

    static AwsException versionNotFound(String what, String value) {
        return AwsException.clientError("ResourceNotFoundException",
                "Secrets Manager can't find the specified secret value for " + what + ": " + value);
    }

    static AwsException exists(String name) {
        return AwsException.clientError("ResourceExistsException",
                "The operation failed because the secret " + name + " already exists.");
    }

    static AwsException versionExists() {
        return AwsException.clientError("ResourceExistsException",
                "You can't modify an existing version, you can only create a new version.");
    }

    static AwsException markedForDeletion() {
        return invalidRequest("You can't perform this operation on the secret because it was marked for deletion.");
    }

    static AwsException invalidRequest(String message) {
        return AwsException.clientError("InvalidRequestException", message);
    }

    static AwsException invalidParameter(String message) {
        return AwsException.clientError("InvalidParameterException", message);
    }
}
