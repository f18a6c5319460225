package dev.stevedore.control.iam;

import dev.stevedore.control.iam.instanceprofile.InstanceProfileRecord;
import dev.stevedore.control.iam.instanceprofile.InstanceProfiles;
import dev.stevedore.control.iam.policy.AwsManagedPolicies;
import dev.stevedore.control.iam.policy.EntityRef;
import dev.stevedore.control.iam.policy.ManagedPolicies;
import dev.stevedore.control.iam.policy.PolicyRecord;
import dev.stevedore.control.iam.role.RoleRecord;
import dev.stevedore.control.iam.role.Roles;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.iam.Policy;
import dev.stevedore.model.iam.PolicyVersion;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every account has from the start, as a new AWS account that has used ECS: the AWS managed
 * policies Stevedore knows (this account's view of each: its attachments), and the roles ECS's
 * console makes, {@code ecsInstanceRole} (trusting EC2, with AmazonEC2ContainerServiceforEC2Role and
 * its instance profile of the same name) and {@code ecsTaskExecutionRole} (trusting ECS tasks, with
 * AmazonECSTaskExecutionRolePolicy).
 *
 * <p>Made the first time the account is used, in one transaction conditional on the account's marker
 * being absent, like the default VPC. The marker holds when that was, which GetUser answers as the
 * root user's creation. Roles deleted later are not made again.
 */
public final class AccountDefaults {
    public static final String ECS_INSTANCE_ROLE = "ecsInstanceRole";
    public static final String ECS_TASK_EXECUTION_ROLE = "ecsTaskExecutionRole";

    private AccountDefaults() {
    }

    /** Makes the account's defaults unless they were made; one read once they were. */
    public static void ensure(StateStore store, String account, Clock clock) {
        String marker = IamKeys.defaultsMarker(account);
        if (store.get(marker).isPresent()) {
            return;
        }
        StoreTx.run(store, tx -> {
            if (tx.read(marker, Instant.class).isPresent()) {
                return null;
            }
            Instant now = clock.instant();
            Map<String, PolicyRecord> policies = new HashMap<>();
            for (AwsManagedPolicies.Definition d : AwsManagedPolicies.ALL) {
                Policy policy = Policy.builder()
                        .policyName(d.name())
                        .policyId(d.policyId())
                        .arn(d.arn())
                        .path(d.path())
                        .description(d.description())
                        .createDate(d.created())
                        .updateDate(d.created())
                        .build();
                policies.put(d.name(), new PolicyRecord(policy, List.of(new PolicyVersion(d.created(), d.document(), true, "v1")),
                        1, List.of(), List.of()));
            }
            RoleRecord instanceRole = Roles.newRole(account, ECS_INSTANCE_ROLE, "/", trustPolicy("ec2.amazonaws.com"),
                    null, null, null, now);
            RoleRecord executionRole = Roles.newRole(account, ECS_TASK_EXECUTION_ROLE, "/", trustPolicy("ecs-tasks.amazonaws.com"),
                    null, null, null, now);
            instanceRole = attach(instanceRole, policies, AwsManagedPolicies.ECS_FOR_EC2_ROLE);
            executionRole = attach(executionRole, policies, AwsManagedPolicies.ECS_TASK_EXECUTION);
            InstanceProfileRecord profile = InstanceProfiles.newProfile(account, ECS_INSTANCE_ROLE, "/", null, now)
                    .withRoles(List.of(ECS_INSTANCE_ROLE));
            instanceRole = instanceRole.withInstanceProfile(ECS_INSTANCE_ROLE);

            policies.values().forEach(p -> ManagedPolicies.put(tx, account, p));
            tx.put(IamKeys.role(account, ECS_INSTANCE_ROLE), instanceRole);
            tx.put(IamKeys.role(account, ECS_TASK_EXECUTION_ROLE), executionRole);
            tx.put(IamKeys.instanceProfile(account, ECS_INSTANCE_ROLE), profile);
            tx.put(marker, now);
            return null;
        });
    }

    /** When the account was first used. */
    public static Instant created(StateStore store, String account) {
        return store.get(IamKeys.defaultsMarker(account)).map(kv -> Records.decode(kv.value(), Instant.class)).orElseThrow();
    }

    /** A trust policy letting an AWS service assume the role, as ECS's console writes them. */
    static String trustPolicy(String service) {
        return """
                {
                  "Version": "2012-10-17",
                  "Statement": [
                    {
                      "Sid": "",
                      "Effect": "Allow",
                      "Principal": {
                        "Service": "%s"
                      },
                      "Action": "sts:AssumeRole"
                    }
                  ]
                }""".formatted(service);
    }

    private static RoleRecord attach(RoleRecord role, Map<String, PolicyRecord> policies, AwsManagedPolicies.Definition d) {
        policies.compute(d.name(), (n, p) -> p.attached(new EntityRef(EntityKind.ROLE, role.name(), role.id())));
        return role.withGrants(role.grants().withAttached(d.arn()));
    }
}
