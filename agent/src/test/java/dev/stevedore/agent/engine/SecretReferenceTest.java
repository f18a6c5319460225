package dev.stevedore.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a secret's valueFrom is read: which store, which Region, which part of which version. */
class SecretReferenceTest {

    private static final String SECRET = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf";

    @Test
    void aNameOrPathIsAParameterOfTheTasksRegion() {
        assertThat(SecretReference.parse("db-password", "us-east-1"))
                .isEqualTo(new SecretReference.Parameter("us-east-1", "db-password"));
        assertThat(SecretReference.parse("/prod/db/password", "us-east-1"))
                .isEqualTo(new SecretReference.Parameter("us-east-1", "/prod/db/password"));
    }

    @Test
    void aParameterArnIsAParameterOfItsOwnRegionAskedForByTheArn() {
        String arn = "arn:aws:ssm:eu-central-1:111122223333:parameter/prod/db/password";
        assertThat(SecretReference.parse(arn, "us-east-1")).isEqualTo(new SecretReference.Parameter("eu-central-1", arn));
    }

    @Test
    void aSecretArnIsTheWholeSecretStringOfItsCurrentVersion() {
        assertThat(SecretReference.parse(SECRET, "us-east-1")).isEqualTo(new SecretReference.Secret("eu-west-1", SECRET,
                Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void theSuffixNamesAJsonKeyAStageAndAVersionEachOfWhichMayBeEmpty() {
        assertThat(SecretReference.parse(SECRET + ":password::", "us-east-1")).isEqualTo(new SecretReference.Secret(
                "eu-west-1", SECRET, Optional.of("password"), Optional.empty(), Optional.empty()));
        assertThat(SecretReference.parse(SECRET + ":password:AWSPREVIOUS:", "us-east-1")).isEqualTo(
                new SecretReference.Secret("eu-west-1", SECRET, Optional.of("password"), Optional.of("AWSPREVIOUS"),
                        Optional.empty()));
        assertThat(SecretReference.parse(SECRET + "::AWSCURRENT:6f0c2a4e-1111-2222-3333-444455556666", "us-east-1"))
                .isEqualTo(new SecretReference.Secret("eu-west-1", SECRET, Optional.empty(), Optional.of("AWSCURRENT"),
                        Optional.of("6f0c2a4e-1111-2222-3333-444455556666")));
        assertThat(SecretReference.parse(SECRET + ":::", "us-east-1")).isEqualTo(new SecretReference.Secret(
                "eu-west-1", SECRET, Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void aSecretArnWithPartOfTheSuffixOrNoSecretIsRefusedInTheEcsAgentsWords() {
        for (String bad : new String[] {SECRET + ":password", SECRET + ":password:AWSCURRENT",
                SECRET + ":a:b:c:d", "arn:aws:secretsmanager:eu-west-1:111122223333:parameter:x",
                "arn:aws:secretsmanager:eu-west-1:111122223333:secret:"}) {
            assertThatThrownBy(() -> SecretReference.parse(bad, "us-east-1")).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("an invalid ARN format for the AWS Secrets Manager secret was specified. "
                            + "Specify a valid ARN and try again.");
        }
    }

    @Test
    void registryCredentialsAreASecretByArnOrByNameInTheTasksRegion() {
        assertThat(SecretReference.registryCredentials(SECRET, "us-east-1")).isEqualTo(new SecretReference.Secret(
                "eu-west-1", SECRET, Optional.empty(), Optional.empty(), Optional.empty()));
        assertThat(SecretReference.registryCredentials("registry/login", "us-east-1")).isEqualTo(
                new SecretReference.Secret("us-east-1", "registry/login", Optional.empty(), Optional.empty(),
                        Optional.empty()));
    }
}
