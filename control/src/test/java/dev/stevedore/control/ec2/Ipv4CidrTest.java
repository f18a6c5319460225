package dev.stevedore.control.ec2;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Ipv4CidrTest {
    @Test
    void parsesWhatEc2AcceptsAndNothingElse() {
        assertThat(Ipv4Cidr.parse("10.0.0.0/16")).hasValueSatisfying(c -> {
            assertThat(c.prefixLength()).isEqualTo(16);
            assertThat(c.toString()).isEqualTo("10.0.0.0/16");
        });
        assertThat(Ipv4Cidr.parse("0.0.0.0/0")).isPresent();
        assertThat(Ipv4Cidr.parse("255.255.255.255/32")).isPresent();
        for (String bad : new String[]{"10.0.0.0", "10.0.0.0/33", "10.0.0/16", "10.0.0.256/32", "10.0.0.1/16",
                "010.0.0.0/16", "10.0.0.0/-1", "a.b.c.d/8", "10.0.0.0/16/1", " 10.0.0.0/16", "", "10.0.0.0/"}) {
            assertThat(Ipv4Cidr.parse(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void theCanonicalFormClearsHostBitsAndStillRefusesWhatIsMalformed() {
        assertThat(Ipv4Cidr.parseCanonical("100.68.0.18/18")).hasValueSatisfying(c ->
                assertThat(c.toString()).isEqualTo("100.68.0.0/18"));
        assertThat(Ipv4Cidr.parseCanonical("10.0.0.0/16").map(Ipv4Cidr::toString)).contains("10.0.0.0/16");
        for (String bad : new String[]{"10.0.0.0/33", "10.0.0.256/16", "010.0.0.0/16", "10.0.0.0/"}) {
            assertThat(Ipv4Cidr.parseCanonical(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void sizesAndUsableAddressesFollowAwsReservations() {
        Ipv4Cidr c = Ipv4Cidr.parse("172.31.16.0/20").orElseThrow();
        assertThat(c.size()).isEqualTo(4096);
        assertThat(c.usableCount()).isEqualTo(4091);
        assertThat(Ipv4Cidr.formatAddress(c.firstUsable())).isEqualTo("172.31.16.4");
        assertThat(Ipv4Cidr.formatAddress(c.lastUsable())).isEqualTo("172.31.31.254");
        assertThat(Ipv4Cidr.formatAddress(c.broadcast())).isEqualTo("172.31.31.255");
        assertThat(Ipv4Cidr.formatAddress(c.address(10))).isEqualTo("172.31.16.10");
        assertThat(Ipv4Cidr.parse("10.0.0.0/28").orElseThrow().usableCount()).isEqualTo(11);
    }

    @Test
    void containmentAndOverlap() {
        Ipv4Cidr vpc = Ipv4Cidr.parse("10.0.0.0/16").orElseThrow();
        Ipv4Cidr a = Ipv4Cidr.parse("10.0.1.0/24").orElseThrow();
        Ipv4Cidr b = Ipv4Cidr.parse("10.0.0.0/23").orElseThrow();
        Ipv4Cidr c = Ipv4Cidr.parse("10.0.2.0/24").orElseThrow();
        assertThat(vpc.contains(a)).isTrue();
        assertThat(a.contains(vpc)).isFalse();
        assertThat(a.overlaps(b)).isTrue();
        assertThat(b.overlaps(a)).isTrue();
        assertThat(a.overlaps(c)).isFalse();
        assertThat(vpc.contains(Ipv4Cidr.parseAddress("10.0.255.255").getAsLong())).isTrue();
        assertThat(vpc.contains(Ipv4Cidr.parseAddress("10.1.0.0").getAsLong())).isFalse();
    }

    @Test
    void zoneIdsUseAwsShortRegionCodes() {
        assertThat(AvailabilityZones.shortCode("us-east-1")).isEqualTo("use1");
        assertThat(AvailabilityZones.shortCode("ap-southeast-2")).isEqualTo("apse2");
        assertThat(AvailabilityZones.shortCode("eu-central-1")).isEqualTo("euc1");
        assertThat(AvailabilityZones.shortCode("us-gov-west-1")).isEqualTo("usgw1");
        assertThat(AvailabilityZones.of("eu-west-2")).extracting(AvailabilityZones.Zone::id)
                .containsExactly("euw2-az1", "euw2-az2", "euw2-az3");
    }
}
