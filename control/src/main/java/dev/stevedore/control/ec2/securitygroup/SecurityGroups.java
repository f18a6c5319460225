package dev.stevedore.control.ec2.securitygroup;

import dev.stevedore.control.ec2.Ec2Ids;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.model.ec2.SecurityGroup;
import dev.stevedore.model.ec2.Tag;

import java.util.List;

/** How security group records are made: a VPC's default group and the groups users create. */
public final class SecurityGroups {
    public static final String DEFAULT_NAME = "default";
    static final String DEFAULT_DESCRIPTION = "default VPC security group";

    private SecurityGroups() {
    }

    /** A new group: everything out, nothing in. */
    public static SecurityGroup newGroup(EcsScope scope, String groupId, String name, String description, String vpcId,
                                         List<Tag> tags) {
        return SecurityGroup.builder()
                .groupId(groupId)
                .groupName(name)
                .description(description)
                .vpcId(vpcId)
                .ownerId(scope.accountId())
                .securityGroupArn(Ec2Ids.arn(scope, "security-group", groupId))
                .ipPermissions(List.of())
                .ipPermissionsEgress(IpPermissions.toPermissions(List.of(allTo("0.0.0.0/0"))))
                .tags(tags)
                .build();
    }

    /** A VPC's default group: everything out, and in from members of the group itself. */
    public static SecurityGroup defaultGroup(EcsScope scope, String groupId, String vpcId) {
        Rule fromItself = new Rule("-1", null, null, new Rule.Peer(Rule.PeerKind.GROUP, groupId, scope.accountId()), null);
        return newGroup(scope, groupId, DEFAULT_NAME, DEFAULT_DESCRIPTION, vpcId, null).toBuilder()
                .ipPermissions(IpPermissions.toPermissions(List.of(fromItself)))
                .build();
    }

    public static boolean isDefault(SecurityGroup group) {
        return DEFAULT_NAME.equals(group.groupName());
    }

    private static Rule allTo(String cidr) {
        return new Rule("-1", null, null, new Rule.Peer(Rule.PeerKind.IPV4, cidr, null), null);
    }
}
