package dev.stevedore.bench;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import java.net.URI;

/**
 * The callers the identity phases of the API benchmark compare, made through the real IAM and STS
 * endpoints as a user of the AWS SDK makes them: the root's keys, an IAM user's access key and an
 * assumed role's temporary credentials. The user and the role get the same policy set: a customer
 * managed policy allowing ECS reads and an inline policy denying ECS deletes, so the authorizer
 * evaluates an Allow and a Deny for each call.
 *
 * @param root     the account's root keys (never authorized by policy)
 * @param iamUser  the access key of user {@code bench-reader}
 * @param roleSession temporary credentials of role {@code bench-reader-role}, assumed by that user
 */
record BenchIdentities(AwsCredentialsIdentity root, AwsCredentialsIdentity iamUser,
                       AwsCredentialsIdentity roleSession) {
    private static final String READS = """
            {"Version":"2012-10-17","Statement":[{"Sid":"EcsReads","Effect":"Allow",\
            "Action":["ecs:List*","ecs:Describe*"],"Resource":"*"}]}""";
    private static final String NO_DELETES = """
            {"Version":"2012-10-17","Statement":[{"Sid":"NoDeletes","Effect":"Deny",\
            "Action":["ecs:Delete*","ecs:Deregister*"],"Resource":"*"}]}""";

    static BenchIdentities create(URI endpoint, AwsBasicCredentials root) {
        String userArn;
        AccessKey key;
        String roleArn;
        try (IamClient iam = IamClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(root)).build()) {
            String policyArn = iam.createPolicy(r -> r.policyName("bench-ecs-reads").policyDocument(READS))
                    .policy().arn();
            userArn = iam.createUser(r -> r.userName("bench-reader")).user().arn();
            iam.attachUserPolicy(r -> r.userName("bench-reader").policyArn(policyArn));
            iam.putUserPolicy(r -> r.userName("bench-reader").policyName("no-deletes").policyDocument(NO_DELETES));
            String assume = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                    + "\"Principal\":{\"AWS\":\"" + userArn + "\"},\"Action\":\"sts:AssumeRole\"}]}";
            roleArn = iam.createRole(r -> r.roleName("bench-reader-role").assumeRolePolicyDocument(assume))
                    .role().arn();
            iam.attachRolePolicy(r -> r.roleName("bench-reader-role").policyArn(policyArn));
            iam.putRolePolicy(r -> r.roleName("bench-reader-role").policyName("no-deletes")
                    .policyDocument(NO_DELETES));
            key = iam.createAccessKey(r -> r.userName("bench-reader")).accessKey();
        }
        AwsBasicCredentials user = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
        Credentials session;
        try (StsClient sts = StsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(user)).build()) {
            session = sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("bench").durationSeconds(3600))
                    .credentials();
        }
        return new BenchIdentities(root, user, AwsSessionCredentials.create(session.accessKeyId(),
                session.secretAccessKey(), session.sessionToken()));
    }
}
