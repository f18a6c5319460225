package dev.stevedore.control.ec2.securitygroup;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ec2.DefaultVpc;
import dev.stevedore.control.ec2.Ec2Errors;
import dev.stevedore.control.ec2.Ec2Ids;
import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ec2.Ec2Records;
import dev.stevedore.control.ec2.query.Filters;
import dev.stevedore.control.ec2.query.Paging;
import dev.stevedore.control.ec2.tags.TagRules;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ec2.CreateSecurityGroupRequest;
import dev.stevedore.model.ec2.CreateSecurityGroupResult;
import dev.stevedore.model.ec2.DeleteSecurityGroupRequest;
import dev.stevedore.model.ec2.DeleteSecurityGroupResult;
import dev.stevedore.model.ec2.DescribeSecurityGroupsRequest;
import dev.stevedore.model.ec2.DescribeSecurityGroupsResult;
import dev.stevedore.model.ec2.GroupIdentifier;
import dev.stevedore.model.ec2.IpPermission;
import dev.stevedore.model.ec2.NetworkInterface;
import dev.stevedore.model.ec2.ResourceType;
import dev.stevedore.model.ec2.SecurityGroup;
import dev.stevedore.model.ec2.Tag;
import dev.stevedore.model.ec2.UserIdGroupPair;
import dev.stevedore.model.ec2.Vpc;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** CreateSecurityGroup, DescribeSecurityGroups and DeleteSecurityGroup. */
public final class SecurityGroupOperations {
    private static final int MAX_TEXT = 255;
    /** The characters EC2 allows in a VPC security group's name and description. */
    private static final Pattern ALLOWED = Pattern.compile("[a-zA-Z0-9 ._\\-:/()#,@\\[\\]+=&;{}!$*]*");

    private static final Filters<SecurityGroup> FILTERS = withRuleFilters(Filters.<SecurityGroup>tagged(SecurityGroup::tags)
            .on("group-id", SecurityGroup::groupId)
            .on("group-name", SecurityGroup::groupName)
            .on("vpc-id", SecurityGroup::vpcId)
            .on("description", SecurityGroup::description)
            .on("owner-id", SecurityGroup::ownerId))
            .build();

    private final StateStore store;

    public SecurityGroupOperations(StateStore store) {
        this.store = store;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateSecurityGroup", Operations.typed(CreateSecurityGroupRequest.class, this::create),
                "DescribeSecurityGroups", Operations.typed(DescribeSecurityGroupsRequest.class, this::describe),
                "DeleteSecurityGroup", Operations.typed(DeleteSecurityGroupRequest.class, this::delete));
    }

    CreateSecurityGroupResult create(CallContext ctx, CreateSecurityGroupRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String name = Optional.ofNullable(request.groupName()).orElseThrow(() -> Ec2Errors.missingParameter("groupName"));
        String description = Optional.ofNullable(request.description())
                .orElseThrow(() -> Ec2Errors.missingParameter("groupDescription"));
        checkText("GroupName", name);
        checkText("GroupDescription", description);
        if (name.toLowerCase(Locale.ROOT).startsWith("sg-")) {
            throw Ec2Errors.invalidParameterValue("Value (" + name + ") for parameter GroupName is invalid. "
                    + "Group names may not be in the format sg-*.");
        }
        if (name.equalsIgnoreCase(SecurityGroups.DEFAULT_NAME)) {
            throw Ec2Errors.of("InvalidGroup.Reserved", "The security group 'default' is reserved");
        }
        List<Tag> tags = TagRules.orAbsent(TagRules.fromSpecifications(request.tagSpecifications(), ResourceType.SECURITY_GROUP));
        String vpcId = Optional.ofNullable(request.vpcId()).orElseGet(() -> DefaultVpc.find(store, scope)
                .map(Vpc::vpcId)
                .orElseThrow(() -> Ec2Errors.of("VPCIdNotSpecified", "No default VPC for this user")));
        String groupId = Ec2Ids.newId(Ec2Ids.SECURITY_GROUP);
        SecurityGroup created = StoreTx.run(store, tx -> {
            String vpcKey = Ec2Keys.vpc(scope, vpcId);
            Vpc vpc = tx.read(vpcKey, Vpc.class).orElseThrow(() -> Ec2Errors.vpcNotFound(List.of(vpcId)));
            boolean taken = tx.scan(Ec2Keys.securityGroups(scope), SecurityGroup.class).stream()
                    .anyMatch(g -> vpcId.equals(g.vpcId()) && name.equalsIgnoreCase(g.groupName()));
            if (taken) {
                throw Ec2Errors.of("InvalidGroup.Duplicate", "The security group '" + name + "' already exists for VPC '" + vpcId + "'");
            }
            SecurityGroup group = SecurityGroups.newGroup(scope, groupId, name, description, vpcId, tags);
            tx.put(Ec2Keys.securityGroup(scope, groupId), group);
            // Rewriting the VPC serialises group creation in it (names are unique per VPC) and
            // makes a DeleteVpc racing with this one look again.
            tx.put(vpcKey, vpc);
            return group;
        });
        return new CreateSecurityGroupResult(created.groupId(), created.securityGroupArn(), created.tags());
    }

    DescribeSecurityGroupsResult describe(CallContext ctx, DescribeSecurityGroupsRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        var filter = FILTERS.compile(request.filters());
        List<SecurityGroup> all = Ec2Records.all(store, Ec2Keys.securityGroups(scope), SecurityGroup.class);
        List<String> ids = Optional.ofNullable(request.groupIds()).orElse(List.of());
        for (String id : ids) {
            Ec2Errors.wellFormedGroupId(id);
            if (all.stream().noneMatch(g -> g.groupId().equals(id))) {
                throw Ec2Errors.groupNotFound(id);
            }
        }
        List<String> names = Optional.ofNullable(request.groupNames()).orElse(List.of());
        List<String> byName = new ArrayList<>();
        for (String name : names) {
            byName.add(inDefaultVpc(scope, all, name).groupId());
        }
        List<SecurityGroup> matching = all.stream()
                .filter(g -> (ids.isEmpty() && names.isEmpty()) || ids.contains(g.groupId()) || byName.contains(g.groupId()))
                .filter(filter)
                .toList();
        Paging.Page<SecurityGroup> page = Paging.page(matching, SecurityGroup::groupId, "DescribeSecurityGroups",
                request.filters(), request.maxResults(), request.nextToken(), Paging.Bounds.DESCRIBE);
        return new DescribeSecurityGroupsResult(page.nextTokenOrNull(), page.items());
    }

    DeleteSecurityGroupResult delete(CallContext ctx, DeleteSecurityGroupRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        if (request.groupId() == null && request.groupName() == null) {
            throw Ec2Errors.missingParameter("groupName or groupId");
        }
        String groupId = Optional.ofNullable(request.groupId()).map(Ec2Errors::wellFormedGroupId).orElseGet(() -> inDefaultVpc(scope,
                Ec2Records.all(store, Ec2Keys.securityGroups(scope), SecurityGroup.class), request.groupName()).groupId());
        StoreTx.run(store, tx -> {
            SecurityGroup group = tx.read(Ec2Keys.securityGroup(scope, groupId), SecurityGroup.class)
                    .orElseThrow(() -> Ec2Errors.groupNotFound(groupId));
            if (SecurityGroups.isDefault(group)) {
                throw Ec2Errors.of("CannotDelete",
                        "the specified group: \"" + groupId + "\" name: \"default\" cannot be deleted by a user");
            }
            boolean usedByInterface = tx.scan(Ec2Keys.networkInterfaces(scope), NetworkInterface.class).stream()
                    .flatMap(n -> Optional.ofNullable(n.groups()).orElse(List.of()).stream())
                    .map(GroupIdentifier::groupId)
                    .anyMatch(groupId::equals);
            boolean referenced = tx.scan(Ec2Keys.securityGroups(scope), SecurityGroup.class).stream()
                    .filter(g -> !g.groupId().equals(groupId))
                    .anyMatch(g -> references(g, groupId));
            if (usedByInterface || referenced) {
                throw Ec2Errors.of("DependencyViolation", "resource " + groupId + " has a dependent object");
            }
            tx.delete(Ec2Keys.securityGroup(scope, groupId));
            return null;
        });
        return new DeleteSecurityGroupResult(groupId, true);
    }

    /** A group named in the default VPC, as GroupName parameters mean. */
    private SecurityGroup inDefaultVpc(EcsScope scope, List<SecurityGroup> all, String name) {
        Optional<Vpc> defaultVpc = DefaultVpc.find(store, scope);
        return defaultVpc.flatMap(vpc -> all.stream()
                        .filter(g -> vpc.vpcId().equals(g.vpcId()) && name.equals(g.groupName()))
                        .findFirst())
                .orElseThrow(() -> Ec2Errors.of("InvalidGroup.NotFound", "The security group '" + name
                        + "' does not exist in default VPC '" + defaultVpc.map(Vpc::vpcId).orElse("none") + "'"));
    }

    private static boolean references(SecurityGroup group, String groupId) {
        return Stream.concat(permissions(group.ipPermissions()), permissions(group.ipPermissionsEgress()))
                .flatMap(p -> Optional.ofNullable(p.userIdGroupPairs()).orElse(List.of()).stream())
                .map(UserIdGroupPair::groupId)
                .anyMatch(groupId::equals);
    }

    /** The {@code ip-permission.*} and {@code egress.ip-permission.*} filters: a group matches if any of its rules does. */
    private static Filters.Builder<SecurityGroup> withRuleFilters(Filters.Builder<SecurityGroup> filters) {
        for (boolean egress : new boolean[]{false, true}) {
            String prefix = egress ? "egress.ip-permission." : "ip-permission.";
            Function<SecurityGroup, List<Rule>> rules = g -> IpPermissions.rulesOf(
                    Optional.ofNullable(egress ? g.ipPermissionsEgress() : g.ipPermissions()).orElse(List.of()));
            filters.onEach(prefix + "protocol", g -> rules.apply(g).stream().map(Rule::protocol).toList())
                    .onEach(prefix + "from-port", g -> rules.apply(g).stream().map(r -> r.fromPort() == null ? -1 : r.fromPort()).toList())
                    .onEach(prefix + "to-port", g -> rules.apply(g).stream().map(r -> r.toPort() == null ? -1 : r.toPort()).toList())
                    .onEach(prefix + "cidr", g -> peers(rules.apply(g), Rule.PeerKind.IPV4))
                    .onEach(prefix + "ipv6-cidr", g -> peers(rules.apply(g), Rule.PeerKind.IPV6))
                    .onEach(prefix + "prefix-list-id", g -> peers(rules.apply(g), Rule.PeerKind.PREFIX_LIST))
                    .onEach(prefix + "group-id", g -> peers(rules.apply(g), Rule.PeerKind.GROUP));
        }
        return filters;
    }

    private static List<String> peers(List<Rule> rules, Rule.PeerKind kind) {
        return rules.stream().filter(r -> r.peer().kind() == kind).map(r -> r.peer().value()).toList();
    }

    private static Stream<IpPermission> permissions(List<IpPermission> list) {
        return Optional.ofNullable(list).orElse(List.of()).stream();
    }

    private static void checkText(String parameter, String value) {
        if (value.isEmpty() || value.length() > MAX_TEXT || !ALLOWED.matcher(value).matches()) {
            throw Ec2Errors.invalidParameterValue("Value (" + value + ") for parameter " + parameter + " is invalid. "
                    + "Character sets beyond ASCII are not supported and the length is limited to " + MAX_TEXT + " characters.");
        }
    }
}
