package dev.stevedore.control.ec2;

import dev.stevedore.control.state.Records;
import dev.stevedore.model.ec2.CreateSubnetRequest;
import dev.stevedore.model.ec2.CreateTagsRequest;
import dev.stevedore.model.ec2.DeleteTagsRequest;
import dev.stevedore.model.ec2.DescribeTagsRequest;
import dev.stevedore.model.ec2.DescribeTagsResult;
import dev.stevedore.model.ec2.DescribeVpcsRequest;
import dev.stevedore.model.ec2.DescribeVpcsResult;
import dev.stevedore.model.ec2.Filter;
import dev.stevedore.model.ec2.NetworkInterface;
import dev.stevedore.model.ec2.Tag;
import dev.stevedore.model.ec2.TagDescription;
import dev.stevedore.model.ec2.Vpc;
import dev.stevedore.store.Txn;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TagsTest extends Ec2ApiTestBase {

    List<Tag> tagsOf(String vpcId) {
        Vpc vpc = ec2.call("DescribeVpcs", DescribeVpcsRequest.builder().vpcIds(List.of(vpcId)).build(), DescribeVpcsResult.class)
                .vpcs().getFirst();
        return vpc.tags() == null ? List.of() : vpc.tags();
    }

    void tag(List<String> resources, Tag... tags) {
        ec2.call("CreateTags", new CreateTagsRequest(null, resources, List.of(tags)));
    }

    @Test
    void createTagsAddsAndOverwritesOnEveryKindOfResource() {
        String vpc = newVpc("10.0.0.0/16");
        String subnet = ec2.call("CreateSubnet", CreateSubnetRequest.builder().vpcId(vpc).cidrBlock("10.0.0.0/24").build())
                .at("/Subnet/SubnetId").asText();
        String eni = "eni-0123456789abcdef0";
        ec2.store.commit(Txn.builder().put(Ec2Keys.networkInterface(Ec2Harness.SCOPE, eni),
                Records.encode(NetworkInterface.builder().networkInterfaceId(eni).vpcId(vpc).subnetId(subnet).build())).build());
        String group = ec2.stored(Ec2Keys.securityGroups(Ec2Harness.SCOPE), dev.stevedore.model.ec2.SecurityGroup.class).stream()
                .filter(g -> vpc.equals(g.vpcId())).findFirst().orElseThrow().groupId();

        tag(List.of(vpc, subnet, group, eni), new Tag("env", "prod"), new Tag("Name", null));
        tag(List.of(vpc), new Tag("env", "dev"));
        assertThat(tagsOf(vpc)).containsExactly(new Tag("env", "dev"), new Tag("Name", ""));

        List<TagDescription> all = ec2.call("DescribeTags", DescribeTagsRequest.builder()
                .filters(List.of(new Filter("key", List.of("env")))).build(), DescribeTagsResult.class).tags();
        assertThat(all).extracting(TagDescription::resourceType)
                .containsExactlyInAnyOrder("vpc", "subnet", "security-group", "network-interface");
        assertThat(all).filteredOn(t -> t.resourceId().equals(eni)).singleElement()
                .satisfies(t -> assertThat(t.value()).isEqualTo("prod"));
        assertThat(ec2.call("DescribeTags", DescribeTagsRequest.builder().filters(List.of(
                        new Filter("resource-type", List.of("subnet")), new Filter("value", List.of("pro?")))).build(),
                DescribeTagsResult.class).tags()).extracting(TagDescription::resourceId).containsExactly(subnet);
        assertThat(ec2.call("DescribeTags", DescribeTagsRequest.builder().filters(List.of(
                        new Filter("resource-id", List.of(vpc)))).build(), DescribeTagsResult.class).tags()).hasSize(2);
        ec2.fails("DescribeTags", DescribeTagsRequest.builder().filters(List.of(new Filter("colour", List.of("x")))).build(),
                "InvalidParameterValue");
    }

    @Test
    void unknownOrMalformedIdsFailTheWholeCall() {
        String vpc = newVpc("10.0.0.0/16");
        ec2.fails("CreateTags", new CreateTagsRequest(null, List.of(vpc, "vpc-0123456789abcdef0"), List.of(new Tag("a", "b"))),
                "InvalidVpcID.NotFound");
        ec2.fails("CreateTags", new CreateTagsRequest(null, List.of(vpc, "subnet-0123456789abcdef0"), List.of(new Tag("a", "b"))),
                "InvalidSubnetID.NotFound");
        ec2.fails("CreateTags", new CreateTagsRequest(null, List.of("sg-0123456789abcdef0"), List.of(new Tag("a", "b"))),
                "InvalidGroup.NotFound");
        ec2.fails("CreateTags", new CreateTagsRequest(null, List.of("eni-0123456789abcdef0"), List.of(new Tag("a", "b"))),
                "InvalidNetworkInterfaceID.NotFound");
        assertThat(ec2.fails("CreateTags", new CreateTagsRequest(null, List.of("my-vpc"), List.of(new Tag("a", "b"))),
                "InvalidID").getMessage()).isEqualTo("The ID 'my-vpc' is not valid");
        ec2.fails("DeleteTags", new DeleteTagsRequest(null, List.of("vpc-0123456789abcdef0"), null), "InvalidVpcID.NotFound");
        assertThat(tagsOf(vpc)).isEmpty();
    }

    @Test
    void limitsAreEc2s() {
        String vpc = newVpc("10.0.0.0/16");
        ec2.fails("CreateTags", new CreateTagsRequest(null, List.of(vpc), List.of(new Tag("aws:cloudformation", "x"))), "InvalidParameterValue");
        ec2.fails("CreateTags", new CreateTagsRequest(null, List.of(vpc), List.of(new Tag("k".repeat(129), "x"))), "InvalidParameterValue");
        ec2.fails("CreateTags", new CreateTagsRequest(null, List.of(vpc), List.of(new Tag("k", "v".repeat(257)))), "InvalidParameterValue");
        tag(List.of(vpc), new Tag("k".repeat(128), "v".repeat(256)));
        List<Tag> fortyNine = IntStream.range(0, 49).mapToObj(i -> new Tag("t" + i, "v")).toList();
        tag(List.of(vpc), fortyNine.toArray(Tag[]::new));
        assertThat(tagsOf(vpc)).hasSize(50);
        assertThat(ec2.fails("CreateTags", new CreateTagsRequest(null, List.of(vpc), List.of(new Tag("one-more", "v"))),
                "TagLimitExceeded").getMessage()).isEqualTo("The maximum number of Tags for a resource has been reached.");
        tag(List.of(vpc), new Tag("t0", "overwritten"));
        assertThat(tagsOf(vpc)).hasSize(50).contains(new Tag("t0", "overwritten"));
    }

    @Test
    void deleteTagsHonoursTheValueWhenGiven() {
        String vpc = newVpc("10.0.0.0/16");
        tag(List.of(vpc), new Tag("a", "1"), new Tag("b", "2"), new Tag("c", ""), new Tag("d", "4"));
        ec2.call("DeleteTags", new DeleteTagsRequest(null, List.of(vpc), List.of(new Tag("a", "other"), new Tag("b", "2"))));
        assertThat(tagsOf(vpc)).containsExactly(new Tag("a", "1"), new Tag("c", ""), new Tag("d", "4"));
        ec2.call("DeleteTags", new DeleteTagsRequest(null, List.of(vpc), List.of(new Tag("a", null), new Tag("c", ""))));
        assertThat(tagsOf(vpc)).containsExactly(new Tag("d", "4"));
        ec2.call("DeleteTags", new DeleteTagsRequest(null, List.of(vpc), null));
        assertThat(tagsOf(vpc)).isEmpty();
    }

    @Test
    void describeTagsPages() {
        String vpc = newVpc("10.0.0.0/16");
        tag(List.of(vpc), IntStream.range(0, 12).mapToObj(i -> new Tag("k" + (char) ('a' + i), "v")).toArray(Tag[]::new));
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            DescribeTagsResult page = ec2.call("DescribeTags", DescribeTagsRequest.builder().maxResults(5).nextToken(token).build(),
                    DescribeTagsResult.class);
            page.tags().forEach(t -> keys.add(t.key()));
            token = page.nextToken();
        } while (token != null);
        assertThat(keys).hasSize(12).doesNotHaveDuplicates().isSorted();
        ec2.fails("DescribeTags", DescribeTagsRequest.builder().maxResults(2).build(), "InvalidParameterValue");
    }
}
