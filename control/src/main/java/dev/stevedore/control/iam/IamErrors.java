package dev.stevedore.control.iam;

import dev.stevedore.awsproto.AwsException;

/** The IAM error codes the API answers with, with IAM's status and wording. */
public final class IamErrors {
    private IamErrors() {
    }

    public static AwsException noSuchEntity(String message) {
        return new AwsException("NoSuchEntity", 404, message);
    }

    public static AwsException alreadyExists(String message) {
        return new AwsException("EntityAlreadyExists", 409, message);
    }

    public static AwsException deleteConflict(String message) {
        return new AwsException("DeleteConflict", 409, message);
    }

    public static AwsException limitExceeded(String message) {
        return new AwsException("LimitExceeded", 409, message);
    }

    /** IAM's wording when a count quota is reached, e.g. {@code Cannot exceed quota for AccessKeysPerUser: 2}. */
    public static AwsException quota(String name, int limit) {
        return limitExceeded("Cannot exceed quota for " + name + ": " + limit);
    }

    public static AwsException malformedPolicy(String message) {
        return new AwsException("MalformedPolicyDocument", 400, message);
    }

    public static AwsException invalidInput(String message) {
        return new AwsException("InvalidInput", 400, message);
    }

    /** A request IAM refuses before looking anything up (the Query protocol's generic client error). */
    public static AwsException validationError(String message) {
        return new AwsException("ValidationError", 400, message);
    }

    public static AwsException noSuchUser(String name) {
        return noSuchEntity("The user with name " + name + " cannot be found.");
    }

    public static AwsException noSuchRole(String name) {
        return noSuchEntity("The role with name " + name + " cannot be found.");
    }

    public static AwsException noSuchInstanceProfile(String name) {
        return noSuchEntity("Instance Profile " + name + " cannot be found.");
    }

    public static AwsException noSuchPolicy(String arn) {
        return noSuchEntity("Policy " + arn + " was not found.");
    }

    /** What IAM says when a policy to attach (or a version of it) is not there. */
    public static AwsException notAttachable(String arn) {
        return noSuchEntity("Policy " + arn + " does not exist or is not attachable.");
    }

    public static AwsException noSuchVersion(String arn, String versionId) {
        return noSuchEntity("Policy " + arn + " version " + versionId + " does not exist or is not attachable.");
    }

    public static AwsException noSuchAccessKey(String id) {
        return noSuchEntity("The Access Key with id " + id + " cannot be found.");
    }
}
