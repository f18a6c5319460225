package dev.stevedore.control.ec2.vpc;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ec2.Ec2Errors;
import dev.stevedore.control.ec2.Ec2Ids;
import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ec2.Ec2Records;
import dev.stevedore.control.ec2.Ipv4Cidr;
import dev.stevedore.control.ec2.query.Filters;
import dev.stevedore.control.ec2.query.Paging;
import dev.stevedore.control.ec2.securitygroup.SecurityGroups;
import dev.stevedore.control.ec2.tags.TagRules;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ec2.CreateVpcRequest;
import dev.stevedore.model.ec2.CreateVpcResult;
import dev.stevedore.model.ec2.DeleteVpcRequest;
import dev.stevedore.model.ec2.DescribeVpcsRequest;
import dev.stevedore.model.ec2.DescribeVpcsResult;
import dev.stevedore.model.ec2.NetworkInterface;
import dev.stevedore.model.ec2.ResourceType;
import dev.stevedore.model.ec2.SecurityGroup;
import dev.stevedore.model.ec2.Subnet;
import dev.stevedore.model.ec2.Tag;
import dev.stevedore.model.ec2.Vpc;
import dev.stevedore.model.ec2.VpcCidrBlockAssociation;
import dev.stevedore.store.StateStore;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** CreateVpc, DescribeVpcs and DeleteVpc. */
public final class VpcOperations {
    private static final int MIN_PREFIX = 16;
    private static final int MAX_PREFIX = 28;

    private static final Filters<Vpc> FILTERS = Filters.<Vpc>tagged(Vpc::tags)
            .on("vpc-id", Vpc::vpcId)
            .on("cidr", Vpc::cidrBlock)
            .on("cidr-block", Vpc::cidrBlock)
            .onEach("cidr-block-association.cidr-block", v -> associations(v).stream().map(VpcCidrBlockAssociation::cidrBlock).toList())
            .onEach("cidr-block-association.association-id", v -> associations(v).stream().map(VpcCidrBlockAssociation::associationId).toList())
            .onEach("cidr-block-association.state", v -> associations(v).stream().map(a -> a.cidrBlockState().state()).toList())
            .on("dhcp-options-id", Vpc::dhcpOptionsId)
            .on("is-default", Vpc::isDefault)
            .on("owner-id", Vpc::ownerId)
            .on("state", Vpc::state)
            .build();

    private final StateStore store;

    public VpcOperations(StateStore store) {
        this.store = store;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateVpc", Operations.typed(CreateVpcRequest.class, this::create),
                "DescribeVpcs", Operations.typed(DescribeVpcsRequest.class, this::describe),
                "DeleteVpc", Operations.typed(DeleteVpcRequest.class, this::delete));
    }

    CreateVpcResult create(CallContext ctx, CreateVpcRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        if (request.cidrBlock() == null) {
            // EC2 names both ways of giving a VPC its block (Stevedore has no IPAM pools).
            throw Ec2Errors.of("MissingParameter", "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.");
        }
        Ipv4Cidr cidr = Ipv4Cidr.parseCanonical(request.cidrBlock())
                .orElseThrow(() -> Ec2Errors.invalidCidr("cidrBlock", request.cidrBlock()));
        if (cidr.prefixLength() < MIN_PREFIX || cidr.prefixLength() > MAX_PREFIX) {
            throw Ec2Errors.of("InvalidVpc.Range", "The CIDR '" + request.cidrBlock() + "' is invalid.");
        }
        String tenancy = Optional.ofNullable(request.instanceTenancy()).orElse("default");
        if (!tenancy.equals("default") && !tenancy.equals("dedicated")) {
            throw Ec2Errors.invalidParameterValue("The tenancy value " + tenancy + " is not supported.");
        }
        List<Tag> tags = TagRules.orAbsent(TagRules.fromSpecifications(request.tagSpecifications(), ResourceType.VPC));
        String vpcId = Ec2Ids.newId(Ec2Ids.VPC);
        String groupId = Ec2Ids.newId(Ec2Ids.SECURITY_GROUP);
        Vpc vpc = Vpcs.newVpc(scope, vpcId, cidr, false, tenancy, tags);
        StoreTx.run(store, tx -> {
            tx.put(Ec2Keys.vpc(scope, vpcId), vpc);
            tx.put(Ec2Keys.securityGroup(scope, groupId), SecurityGroups.defaultGroup(scope, groupId, vpcId));
            return null;
        });
        // EC2 answers a new VPC as pending; it is available by the time anyone can describe it.
        return new CreateVpcResult(vpc.toBuilder().state("pending").build());
    }

    DescribeVpcsResult describe(CallContext ctx, DescribeVpcsRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        var filter = FILTERS.compile(request.filters());
        List<Vpc> all = Ec2Records.all(store, Ec2Keys.vpcs(scope), Vpc.class);
        List<String> ids = Optional.ofNullable(request.vpcIds()).orElse(List.of());
        List<String> missing = ids.stream().filter(id -> all.stream().noneMatch(v -> v.vpcId().equals(id))).distinct().toList();
        if (!missing.isEmpty()) {
            throw Ec2Errors.vpcNotFound(missing);
        }
        List<Vpc> matching = all.stream()
                .filter(v -> ids.isEmpty() || ids.contains(v.vpcId()))
                .filter(filter)
                .toList();
        Paging.Page<Vpc> page = Paging.page(matching, Vpc::vpcId, "DescribeVpcs", request.filters(),
                request.maxResults(), request.nextToken(), Paging.Bounds.DESCRIBE);
        return new DescribeVpcsResult(page.nextTokenOrNull(), page.items());
    }

    Object delete(CallContext ctx, DeleteVpcRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        if (request.vpcId() == null) {
            throw Ec2Errors.missingParameter("vpcId");
        }
        String vpcId = request.vpcId();
        StoreTx.run(store, tx -> {
            tx.read(Ec2Keys.vpc(scope, vpcId), Vpc.class).orElseThrow(() -> Ec2Errors.vpcNotFound(List.of(vpcId)));
            // Creating a subnet or group rewrites its VPC's record, so one created after these scans
            // makes this transaction's read of the VPC stale and the deletion runs again.
            boolean hasSubnets = tx.scan(Ec2Keys.subnets(scope), Subnet.class).stream().anyMatch(s -> vpcId.equals(s.vpcId()));
            List<SecurityGroup> groups = tx.scan(Ec2Keys.securityGroups(scope), SecurityGroup.class).stream()
                    .filter(g -> vpcId.equals(g.vpcId()))
                    .toList();
            boolean hasInterfaces = tx.scan(Ec2Keys.networkInterfaces(scope), NetworkInterface.class).stream()
                    .anyMatch(n -> vpcId.equals(n.vpcId()));
            if (hasSubnets || hasInterfaces || groups.stream().anyMatch(g -> !SecurityGroups.isDefault(g))) {
                throw Ec2Errors.of("DependencyViolation", "The vpc '" + vpcId + "' has dependencies and cannot be deleted.");
            }
            groups.forEach(g -> tx.delete(Ec2Keys.securityGroup(scope, g.groupId())));
            tx.delete(Ec2Keys.vpc(scope, vpcId));
            return null;
        });
        return null;
    }

    private static List<VpcCidrBlockAssociation> associations(Vpc vpc) {
        return Optional.ofNullable(vpc.cidrBlockAssociationSet()).orElse(List.of());
    }
}
