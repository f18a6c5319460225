package dev.stevedore.agent.engine;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The reasons a container gets when its image cannot be had, in ECS's words: the error's name, then
 * Docker's own explanation, with the hint the ECS agent puts before the failures it recognises (a
 * role without {@code ecr:BatchGetImage}, a repository that does not exist or refuses, a registry
 * not reached), so that users can look the reason up as they would on ECS.
 */
final class PullReasons {

    static final String PULL_ERROR = "CannotPullContainerError: ";
    /** The registry's token could not be had (ECR's GetAuthorizationToken failed): nothing was pulled. */
    static final String ECR_ERROR = "CannotPullECRContainerError: ";

    private record Hint(Pattern recognises, String advice) {}

    // The patterns and advice are the ECS agent's; the apostrophes are its typographic ones.
    private static final List<Hint> HINTS = List.of(
            new Hint(Pattern.compile("denied: User: .+ is not authorized to perform: ecr:BatchGetImage on resource"),
                    "The task can’t pull the image. Check that the role has the permissions to pull images from the registry. "),
            new Hint(Pattern.compile("denied: requested access to the resource is denied"),
                    "The task can’t pull the image. Check whether the image exists. "),
            new Hint(Pattern.compile("request canceled while waiting for connection"),
                    "The task can’t pull the image. Check your network configuration. "));

    private PullReasons() {}

    /** The reason for a pull that failed, from the engine's message as Docker's client prints it. */
    static String pullFailed(String engineMessage) {
        for (Hint hint : HINTS) {
            if (hint.recognises().matcher(engineMessage).find()) {
                return PULL_ERROR + hint.advice() + engineMessage;
            }
        }
        return PULL_ERROR + engineMessage;
    }

    /** The reason for an image that was not pulled because its registry's token could not be had. */
    static String tokenRefused(String why) {
        return ECR_ERROR + why;
    }
}
