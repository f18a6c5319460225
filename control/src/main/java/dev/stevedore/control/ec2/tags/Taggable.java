package dev.stevedore.control.ec2.tags;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.control.ec2.Ec2Errors;
import dev.stevedore.control.ec2.Ec2Ids;
import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.model.ec2.NetworkInterface;
import dev.stevedore.model.ec2.ResourceType;
import dev.stevedore.model.ec2.SecurityGroup;
import dev.stevedore.model.ec2.Subnet;
import dev.stevedore.model.ec2.Tag;
import dev.stevedore.model.ec2.Vpc;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A kind of resource CreateTags, DeleteTags and DescribeTags reach, known by its id prefix: where
 * its records are stored, how their tags are read and replaced, and how EC2 says one does not exist.
 *
 * @param resourceType the type as DescribeTags writes it
 */
record Taggable<T>(String idPrefix, String resourceType, Class<T> recordType, Function<EcsScope, String> prefix,
                   Function<T, String> id, Function<T, List<Tag>> tags, BiFunction<T, List<Tag>, T> withTags,
                   Function<String, AwsException> notFound) {

    static final List<Taggable<?>> ALL = List.of(
            new Taggable<>(Ec2Ids.VPC, ResourceType.VPC, Vpc.class, Ec2Keys::vpcs, Vpc::vpcId, Vpc::tags,
                    (v, tags) -> v.toBuilder().tags(tags).build(), id -> Ec2Errors.vpcNotFound(List.of(id))),
            new Taggable<>(Ec2Ids.SUBNET, ResourceType.SUBNET, Subnet.class, Ec2Keys::subnets, Subnet::subnetId, Subnet::tags,
                    (s, tags) -> s.toBuilder().tags(tags).build(), id -> Ec2Errors.subnetNotFound(List.of(id))),
            new Taggable<>(Ec2Ids.SECURITY_GROUP, ResourceType.SECURITY_GROUP, SecurityGroup.class, Ec2Keys::securityGroups,
                    SecurityGroup::groupId, SecurityGroup::tags, (g, tags) -> g.toBuilder().tags(tags).build(),
                    Ec2Errors::groupNotFound),
            new Taggable<>(Ec2Ids.NETWORK_INTERFACE, ResourceType.NETWORK_INTERFACE, NetworkInterface.class,
                    Ec2Keys::networkInterfaces, NetworkInterface::networkInterfaceId, NetworkInterface::tagSet,
                    (n, tags) -> n.toBuilder().tagSet(tags).build(), id -> Ec2Errors.networkInterfaceNotFound(List.of(id))));

    String key(EcsScope scope, String resourceId) {
        return prefix.apply(scope) + resourceId;
    }

    /** The tags of a record, empty when it has none. */
    List<Tag> tagsOf(T record) {
        return Optional.ofNullable(tags.apply(record)).orElse(List.of());
    }

    /** The kind of a resource id; an id that is not a well-formed id of a kind kept here is refused. */
    static Taggable<?> of(String resourceId) {
        Optional<String> idPrefix = Ec2Ids.prefixOf(resourceId);
        return ALL.stream()
                .filter(t -> idPrefix.filter(t.idPrefix()::equals).isPresent())
                .findFirst()
                .orElseThrow(() -> Ec2Errors.invalidId(resourceId));
    }
}
