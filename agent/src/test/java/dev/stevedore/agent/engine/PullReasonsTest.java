package dev.stevedore.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PullReasonsTest {

    @Test
    void aRoleWithoutBatchGetImageGetsTheAgentsPermissionHint() {
        String daemon = "Error response from daemon: pull access denied for 127.0.0.1:9401/app, repository does not exist"
                + " or may require 'docker login': denied: User: arn:aws:sts::000000000000:assumed-role/r/s is not"
                + " authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:us-east-1:000000000000:repository/app";

        assertThat(PullReasons.pullFailed(daemon)).isEqualTo("CannotPullContainerError: The task can’t pull the image."
                + " Check that the role has the permissions to pull images from the registry. " + daemon);
    }

    @Test
    void aRefusedRepositoryGetsTheExistenceHint() {
        String daemon = "Error response from daemon: pull access denied for nope, repository does not exist or may require"
                + " 'docker login': denied: requested access to the resource is denied";

        assertThat(PullReasons.pullFailed(daemon))
                .isEqualTo("CannotPullContainerError: The task can’t pull the image. Check whether the image exists. " + daemon);
    }

    @Test
    void otherFailuresAreTheEnginesWordsAfterTheName() {
        String daemon = "Error response from daemon: manifest for 127.0.0.1:5000/x:1 not found: manifest unknown: manifest unknown";

        assertThat(PullReasons.pullFailed(daemon)).isEqualTo("CannotPullContainerError: " + daemon);
        assertThat(PullReasons.tokenRefused("AccessDeniedException: no")).isEqualTo("CannotPullECRContainerError: AccessDeniedException: no");
    }
}
