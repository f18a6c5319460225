package dev.stevedore.control.logs;

import dev.stevedore.awsproto.AwsException;

/** The errors CloudWatch Logs answers, in its codes and words. All are client errors (400). */
final class LogsErrors {
    private LogsErrors() {
    }

    static AwsException groupNotFound() {
        return AwsException.clientError("ResourceNotFoundException", "The specified log group does not exist.");
    }

    static AwsException streamNotFound() {
        return AwsException.clientError("ResourceNotFoundException", "The specified log stream does not exist.");
    }

    static AwsException resourceNotFound() {
        return AwsException.clientError("ResourceNotFoundException", "The specified resource does not exist.");
    }

    static AwsException groupExists() {
        return AwsException.clientError("ResourceAlreadyExistsException", "The specified log group already exists");
    }

    static AwsException streamExists() {
        return AwsException.clientError("ResourceAlreadyExistsException", "The specified log stream already exists");
    }

    static AwsException invalidParameter(String message) {
        return AwsException.clientError("InvalidParameterException", message);
    }

    static AwsException invalidNextToken() {
        return invalidParameter("The specified nextToken is invalid.");
    }

    static AwsException tooManyTags() {
        return AwsException.clientError("LimitExceededException", "A resource can have no more than 50 tags.");
    }
}
