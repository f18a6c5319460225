package dev.stevedore.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AccessDeniedException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The same identity story through the unmodified AWS SDK for Java v2: IAM and STS clients make a user
 * and a role, and an ECS client signing with the user's keys or the role's session is allowed exactly
 * what their policies say. The SDK's own parsing of the Query protocol's XML and errors is part of it.
 */
class IdentitySdkIT {
    static InProcessStevedore stevedore;
    static IamClient rootIam;

    @BeforeAll
    static void start() {
        stevedore = InProcessStevedore.start();
        rootIam = iam(AwsBasicCredentials.create(InProcessStevedore.ACCESS_KEY, InProcessStevedore.SECRET_KEY));
    }

    @AfterAll
    static void stop() {
        rootIam.close();
        stevedore.close();
    }

    private static IamClient iam(AwsCredentials credentials) {
        return IamClient.builder().endpointOverride(stevedore.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials)).build();
    }

    private static StsClient sts(AwsCredentials credentials) {
        return StsClient.builder().endpointOverride(stevedore.endpoint()).region(Region.of(InProcessStevedore.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(credentials)).build();
    }

    private static EcsClient ecs(AwsCredentials credentials) {
        return EcsClient.builder().endpointOverride(stevedore.endpoint()).region(Region.of(InProcessStevedore.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(credentials)).build();
    }

    @Test
    void aUsersKeysAndAnAssumedRolesSessionAreAllowedWhatTheirPoliciesSay() {
        String user = "sdk-" + UUID.randomUUID().toString().substring(0, 8);
        rootIam.createUser(b -> b.userName(user));
        rootIam.putUserPolicy(b -> b.userName(user).policyName("assume").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}"));
        AccessKey key = rootIam.createAccessKey(b -> b.userName(user)).accessKey();
        AwsCredentials userKeys = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());

        String roleName = user + "-ro";
        String roleArn = rootIam.createRole(b -> b.roleName(roleName).assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
                        + InProcessStevedore.ACCOUNT + ":root\"},\"Action\":\"sts:AssumeRole\"}]}")).role().arn();
        rootIam.attachRolePolicy(b -> b.roleName(roleName).policyArn("arn:aws:iam::aws:policy/ReadOnlyAccess"));

        try (StsClient asUser = sts(userKeys); EcsClient ecsAsUser = ecs(userKeys)) {
            GetCallerIdentityResponse me = asUser.getCallerIdentity();
            assertThat(me.arn()).isEqualTo("arn:aws:iam::" + InProcessStevedore.ACCOUNT + ":user/" + user);
            assertThat(me.account()).isEqualTo(InProcessStevedore.ACCOUNT);
            assertThatThrownBy(ecsAsUser::listClusters).isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("is not authorized to perform: ecs:ListClusters");

            AssumeRoleResponse assumed = asUser.assumeRole(b -> b.roleArn(roleArn).roleSessionName("sdk")
                    .durationSeconds(900));
            Credentials c = assumed.credentials();
            assertThat(c.expiration()).isAfter(java.time.Instant.now().plusSeconds(800));
            AwsCredentials session = AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
            try (StsClient asRole = sts(session); EcsClient ecsAsRole = ecs(session)) {
                assertThat(asRole.getCallerIdentity().arn()).isEqualTo("arn:aws:sts::" + InProcessStevedore.ACCOUNT
                        + ":assumed-role/" + roleName + "/sdk");
                assertThat(ecsAsRole.listClusters().clusterArns()).isNotEmpty();
                assertThatThrownBy(() -> ecsAsRole.createCluster(b -> b.clusterName(user)))
                        .isInstanceOf(AccessDeniedException.class)
                        .hasMessageContaining("assumed-role/" + roleName + "/sdk is not authorized to perform: ecs:CreateCluster");
            }
        }
    }

    @Test
    void aDeletedKeyNoLongerSignsAndAMissingUserIsIamsNoSuchEntity() {
        String user = "gone-" + UUID.randomUUID().toString().substring(0, 8);
        rootIam.createUser(b -> b.userName(user));
        AccessKey key = rootIam.createAccessKey(b -> b.userName(user)).accessKey();
        AwsCredentials keys = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
        try (StsClient asUser = sts(keys)) {
            assertThat(asUser.getCallerIdentity().userId()).startsWith("AIDA");
            rootIam.updateAccessKey(b -> b.userName(user).accessKeyId(key.accessKeyId()).status("Inactive"));
            assertThatThrownBy(asUser::getCallerIdentity).isInstanceOfSatisfying(StsException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId"));
        }
        assertThatThrownBy(() -> rootIam.getUser(b -> b.userName(user + "-nobody")))
                .isInstanceOf(NoSuchEntityException.class);
    }
}
