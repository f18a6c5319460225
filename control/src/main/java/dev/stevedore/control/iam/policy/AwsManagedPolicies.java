package dev.stevedore.control.iam.policy;

import dev.stevedore.control.iam.IamArns;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;

/**
 * The AWS managed policies every account has here, with their real names, paths and ARNs. The ECS
 * ones carry the actions AWS documents for them; ReadOnlyAccess is a subset of AWS's (which lists
 * hundreds of services): the read actions of the services Stevedore serves.
 */
public final class AwsManagedPolicies {
    /** One AWS managed policy. Its id is derived from its name, so it is the same in every account. */
    public record Definition(String name, String path, String description, Instant created, String document) {
        public String arn() {
            return IamArns.of(IamArns.AWS, "policy", path, name);
        }

        public String policyId() {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
                String base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
                StringBuilder id = new StringBuilder("ANPA");
                for (int i = 0; i < 17; i++) {
                    id.append(base32.charAt((digest[i] & 0xff) % 32));
                }
                return id.toString();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static final Definition ADMINISTRATOR_ACCESS = new Definition("AdministratorAccess", "/",
            "Provides full access to AWS services and resources.", Instant.parse("2015-02-06T18:39:46Z"),
            """
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "*",
                  "Resource": "*"
                }
              ]
            }""");

    public static final Definition READ_ONLY_ACCESS = new Definition("ReadOnlyAccess", "/",
            "Provides read-only access to AWS services and resources.", Instant.parse("2015-02-06T18:39:48Z"),
            """
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": [
                    "ec2:Describe*",
                    "ec2:Get*",
                    "ecr:BatchCheckLayerAvailability",
                    "ecr:BatchGetImage",
                    "ecr:Describe*",
                    "ecr:Get*",
                    "ecr:List*",
                    "ecs:Describe*",
                    "ecs:List*",
                    "elasticloadbalancing:Describe*",
                    "iam:Generate*",
                    "iam:Get*",
                    "iam:List*",
                    "iam:Simulate*",
                    "logs:Describe*",
                    "logs:FilterLogEvents",
                    "logs:Get*",
                    "logs:ListTagsForResource",
                    "logs:ListTagsLogGroup",
                    "secretsmanager:DescribeSecret",
                    "secretsmanager:GetResourcePolicy",
                    "secretsmanager:ListSecretVersionIds",
                    "secretsmanager:ListSecrets",
                    "ssm:Describe*",
                    "ssm:Get*",
                    "ssm:List*",
                    "sts:GetCallerIdentity"
                  ],
                  "Resource": "*"
                }
              ]
            }""");

    public static final Definition ECS_TASK_EXECUTION = new Definition("AmazonECSTaskExecutionRolePolicy", "/service-role/",
            "Provides access to other AWS service resources that are required to run Amazon ECS tasks",
            Instant.parse("2017-11-16T18:48:22Z"),
            """
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": [
                    "ecr:GetAuthorizationToken",
                    "ecr:BatchCheckLayerAvailability",
                    "ecr:GetDownloadUrlForLayer",
                    "ecr:BatchGetImage",
                    "logs:CreateLogStream",
                    "logs:PutLogEvents"
                  ],
                  "Resource": "*"
                }
              ]
            }""");

    public static final Definition ECS_FOR_EC2_ROLE = new Definition("AmazonEC2ContainerServiceforEC2Role", "/service-role/",
            "Default policy for the Amazon EC2 Role for Amazon EC2 Container Service.", Instant.parse("2015-03-19T18:45:18Z"),
            """
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": [
                    "ec2:DescribeTags",
                    "ecs:CreateCluster",
                    "ecs:DeregisterContainerInstance",
                    "ecs:DiscoverPollEndpoint",
                    "ecs:Poll",
                    "ecs:RegisterContainerInstance",
                    "ecs:StartTelemetrySession",
                    "ecs:UpdateContainerInstancesState",
                    "ecs:Submit*",
                    "ecr:GetAuthorizationToken",
                    "ecr:BatchCheckLayerAvailability",
                    "ecr:GetDownloadUrlForLayer",
                    "ecr:BatchGetImage",
                    "logs:CreateLogStream",
                    "logs:PutLogEvents"
                  ],
                  "Resource": "*"
                },
                {
                  "Effect": "Allow",
                  "Action": "ecs:TagResource",
                  "Resource": "*",
                  "Condition": {
                    "StringEquals": {
                      "ecs:CreateAction": [
                        "CreateCluster",
                        "RegisterContainerInstance"
                      ]
                    }
                  }
                }
              ]
            }""");

    public static final List<Definition> ALL = List.of(ADMINISTRATOR_ACCESS, READ_ONLY_ACCESS, ECS_TASK_EXECUTION, ECS_FOR_EC2_ROLE);

    private AwsManagedPolicies() {
    }
}
