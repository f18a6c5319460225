package dev.stevedore.control.ec2;

import dev.stevedore.model.ec2.AvailabilityZone;
import dev.stevedore.model.ec2.DescribeAvailabilityZonesRequest;
import dev.stevedore.model.ec2.DescribeAvailabilityZonesResult;
import dev.stevedore.model.ec2.Filter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AvailabilityZonesTest extends Ec2ApiTestBase {

    List<AvailabilityZone> describe(DescribeAvailabilityZonesRequest request) {
        return ec2.call("DescribeAvailabilityZones", request, DescribeAvailabilityZonesResult.class).availabilityZones();
    }

    @Test
    void everyRegionHasThreeAvailableZones() {
        List<AvailabilityZone> zones = describe(DescribeAvailabilityZonesRequest.builder().build());
        assertThat(zones).extracting(AvailabilityZone::zoneName).containsExactly("us-east-1a", "us-east-1b", "us-east-1c");
        assertThat(zones).extracting(AvailabilityZone::zoneId).containsExactly("use1-az1", "use1-az2", "use1-az3");
        assertThat(zones).allSatisfy(z -> {
            assertThat(z.state()).isEqualTo("available");
            assertThat(z.zoneType()).isEqualTo("availability-zone");
            assertThat(z.regionName()).isEqualTo("us-east-1");
            assertThat(z.groupName()).isEqualTo("us-east-1-zg-1");
            assertThat(z.networkBorderGroup()).isEqualTo("us-east-1");
        });
        List<String> inFrankfurt = ec2.call("DescribeAvailabilityZones", DescribeAvailabilityZonesRequest.builder().build(), "eu-central-1")
                .findValuesAsText("ZoneId");
        assertThat(inFrankfurt).containsExactly("euc1-az1", "euc1-az2", "euc1-az3");
    }

    @Test
    void namesIdsAndFiltersSelect() {
        assertThat(describe(DescribeAvailabilityZonesRequest.builder().zoneNames(List.of("us-east-1b")).build()))
                .extracting(AvailabilityZone::zoneId).containsExactly("use1-az2");
        assertThat(describe(DescribeAvailabilityZonesRequest.builder().zoneIds(List.of("use1-az3")).build()))
                .extracting(AvailabilityZone::zoneName).containsExactly("us-east-1c");
        assertThat(describe(DescribeAvailabilityZonesRequest.builder().filters(List.of(new Filter("zone-name", List.of("us-east-1a")))).build()))
                .hasSize(1);
        assertThat(describe(DescribeAvailabilityZonesRequest.builder().filters(List.of(new Filter("zone-id", List.of("use1-az2")))).build()))
                .hasSize(1);
        assertThat(describe(DescribeAvailabilityZonesRequest.builder().filters(List.of(new Filter("state", List.of("available")),
                new Filter("region-name", List.of("us-east-1")), new Filter("zone-type", List.of("availability-zone")))).build())).hasSize(3);
        assertThat(describe(DescribeAvailabilityZonesRequest.builder().filters(List.of(new Filter("group-name", List.of("us-east-1-zg-1")))).build()))
                .hasSize(3);
        assertThat(ec2.fails("DescribeAvailabilityZones", DescribeAvailabilityZonesRequest.builder().zoneNames(List.of("us-east-1z")).build(),
                "InvalidParameterValue").getMessage()).isEqualTo("Invalid availability zone: [us-east-1z]");
        ec2.fails("DescribeAvailabilityZones", DescribeAvailabilityZonesRequest.builder().zoneIds(List.of("use1-az9")).build(),
                "InvalidParameterValue");
        ec2.fails("DescribeAvailabilityZones", DescribeAvailabilityZonesRequest.builder().filters(List.of(new Filter("tag:x", List.of("y")))).build(),
                "InvalidParameterValue");
    }
}
