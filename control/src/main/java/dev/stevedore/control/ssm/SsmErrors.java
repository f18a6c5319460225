package dev.stevedore.control.ssm;

import dev.stevedore.awsproto.AwsException;

/** The errors Parameter Store answers with, in its own codes and words. */
final class SsmErrors {
    private SsmErrors() {
    }

    static AwsException validation(String message) {
        return AwsException.clientError("ValidationException", message);
    }

    // SSM sends this code with an empty message for a name it does not know.
    static AwsException parameterNotFound() {
        return AwsException.clientError("ParameterNotFound", "");
    }

    static AwsException versionNotFound(String name, long version) {
        return AwsException.clientError("ParameterVersionNotFound",
                "Systems Manager could not find version " + version + " of " + name
                        + ". Verify the version and try again.");
    }

    static AwsException alreadyExists() {
        return AwsException.clientError("ParameterAlreadyExists",
                "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
    }

    static AwsException hierarchyTooDeep() {
        return AwsException.clientError("HierarchyLevelLimitExceededException",
                "A hierarchy can have a maximum of 15 levels. For more information, see "
                        + "https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html");
    }

    static AwsException invalidResourceId() {
        return AwsException.clientError("InvalidResourceId", "");
    }

    static AwsException invalidResourceType() {
        return AwsException.clientError("InvalidResourceType", "");
    }

    static AwsException invalidNextToken() {
        return AwsException.clientError("InvalidNextToken", "The specified token is not valid.");
    }

    static AwsException invalidFilterKey(String key) {
        return AwsException.clientError("InvalidFilterKey", "The following filter key is not valid: " + key);
    }

    static AwsException invalidFilterOption(String message) {
        return AwsException.clientError("InvalidFilterOption", message);
    }

    static AwsException invalidFilterValue(String message) {
        return AwsException.clientError("InvalidFilterValue", message);
    }

    static AwsException patternMismatch(String allowedPattern) {
        return AwsException.clientError("ParameterPatternMismatchException",
                "Parameter value, cannot be validated against allowedPattern: " + allowedPattern);
    }

    static AwsException invalidAllowedPattern() {
        return AwsException.clientError("InvalidAllowedPatternException",
                "The allowed pattern is not a valid regular expression.");
    }

    static AwsException incompatiblePolicy() {
        return AwsException.clientError("IncompatiblePolicyException",
                "Parameter policies are supported only for parameters in the advanced tier.");
    }

    static AwsException invalidKeyId() {
        return AwsException.clientError("InvalidKeyId",
                "Stevedore encrypts SecureString parameters with alias/aws/ssm only.");
    }

    static AwsException tooManyTags() {
        return AwsException.clientError("TooManyTagsError", "The Tags parameter has too many tags. A resource can have at most 50 tags.");
    }
}
