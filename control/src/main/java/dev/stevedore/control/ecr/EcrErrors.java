package dev.stevedore.control.ecr;

import dev.stevedore.awsproto.AwsException;

/** The errors ECR answers, with its wording. All are client errors (400). */
final class EcrErrors {
    private EcrErrors() {
    }

    static AwsException repositoryNotFound(String name, String registryId) {
        return AwsException.clientError("RepositoryNotFoundException",
                "The repository with name '" + name + "' does not exist in the registry with id '" + registryId + "'");
    }

    static AwsException repositoryExists(String name, String registryId) {
        return AwsException.clientError("RepositoryAlreadyExistsException",
                "The repository with name '" + name + "' already exists in the registry with id '" + registryId + "'");
    }

    static AwsException repositoryNotEmpty(String name, String registryId) {
        return AwsException.clientError("RepositoryNotEmptyException", "The repository with name '" + name
                + "' in registry with id '" + registryId + "' cannot be deleted because it still contains images");
    }

    static AwsException imageNotFound(String digest, String tag, String repository, String registryId) {
        return AwsException.clientError("ImageNotFoundException", "The image with imageId {imageDigest:'"
                + digest + "', imageTag:'" + tag + "'} does not exist within the repository with name '" + repository
                + "' in the registry with id '" + registryId + "'");
    }

    static AwsException tagAlreadyExists(String tag, String repository) {
        return AwsException.clientError("ImageTagAlreadyExistsException", "The image tag '" + tag
                + "' already exists in the '" + repository + "' repository and cannot be overwritten because the"
                + " repository is immutable.");
    }

    static AwsException imageAlreadyExists(String digest, String tag, String repository, String registryId) {
        return AwsException.clientError("ImageAlreadyExistsException", "Image with digest '" + digest + "' and tag '"
                + tag + "' already exists in the repository with name '" + repository + "' in registry with id '"
                + registryId + "'");
    }

    static AwsException lifecyclePolicyNotFound(String repository, String registryId) {
        return AwsException.clientError("LifecyclePolicyNotFoundException", "Lifecycle policy does not exist for the"
                + " repository with name '" + repository + "' in the registry with id '" + registryId + "'");
    }

    static AwsException lifecyclePreviewNotFound(String repository, String registryId) {
        return AwsException.clientError("LifecyclePolicyPreviewNotFoundException", "There is no dry run for the"
                + " repository with name '" + repository + "' in the registry with id '" + registryId + "'");
    }

    static AwsException repositoryPolicyNotFound(String repository, String registryId) {
        return AwsException.clientError("RepositoryPolicyNotFoundException", "Repository policy does not exist for the"
                + " repository with name '" + repository + "' in the registry with id '" + registryId + "'");
    }

    static AwsException invalidParameter(String message) {
        return AwsException.clientError("InvalidParameterException", message);
    }

    static AwsException invalidTagParameter(String message) {
        return AwsException.clientError("InvalidTagParameterException", message);
    }

    /** The image's manifest or layers are not in the registry, or the manifest does not parse. */
    static AwsException layersNotFound(String message) {
        return AwsException.clientError("LayersNotFoundException", message);
    }

    static AwsException notImplemented(String operation) {
        return AwsException.clientError("ValidationException", "Stevedore does not implement " + operation + " yet.");
    }
}
