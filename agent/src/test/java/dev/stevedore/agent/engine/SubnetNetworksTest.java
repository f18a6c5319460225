package dev.stevedore.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stevedore.agent.runtime.NetworkSpec;
import org.junit.jupiter.api.Test;

class SubnetNetworksTest {

    @Test
    void theGatewayIsTheBlocksBaseAddressPlusOneWhereAwsPutsTheVpcRouter() {
        assertThat(SubnetNetworks.gateway("10.213.7.0/24")).isEqualTo("10.213.7.1");
        assertThat(SubnetNetworks.gateway("172.31.16.0/20")).isEqualTo("172.31.16.1");
        assertThat(SubnetNetworks.gateway("192.168.255.240/28")).isEqualTo("192.168.255.241");
    }

    @Test
    void aBlockMustBeAnAwsSubnetsSizeAndItsOwnBase() {
        assertThatThrownBy(() -> SubnetNetworks.gateway("10.0.0.0/8")).hasMessageContaining("/16 to /28");
        assertThatThrownBy(() -> SubnetNetworks.gateway("10.0.0.0/29")).hasMessageContaining("/16 to /28");
        assertThatThrownBy(() -> SubnetNetworks.gateway("10.0.1.5/24")).hasMessageContaining("not the base address");
        assertThatThrownBy(() -> SubnetNetworks.gateway("10.0.1.0")).hasMessageContaining("not an IPv4 CIDR block");
        assertThatThrownBy(() -> SubnetNetworks.gateway("10.0.256.0/24")).hasMessageContaining("not an IPv4 address");
    }

    @Test
    void usableAddressesLeaveOutTheFourReservedAtTheStartAndTheBroadcast() {
        assertThat(SubnetNetworks.usable("10.0.1.0/24", "10.0.1.3")).isFalse();
        assertThat(SubnetNetworks.usable("10.0.1.0/24", "10.0.1.4")).isTrue();
        assertThat(SubnetNetworks.usable("10.0.1.0/24", "10.0.1.254")).isTrue();
        assertThat(SubnetNetworks.usable("10.0.1.0/24", "10.0.1.255")).isFalse();
        assertThat(SubnetNetworks.usable("10.0.1.0/24", "10.0.2.4")).isFalse();
        assertThat(SubnetNetworks.usable("10.0.1.0/24", "garbage")).isFalse();
    }

    @Test
    void oneLabelledNetworkPerSubnetNamedAfterIt() {
        NetworkSpec spec = SubnetNetworks.spec("subnet-0abc123", "10.213.7.0/24");

        assertThat(spec.name()).isEqualTo("stevedore-subnet-0abc123");
        assertThat(spec.subnet()).isEqualTo("10.213.7.0/24");
        assertThat(spec.gateway()).isEqualTo("10.213.7.1");
        assertThat(spec.labels()).containsEntry(SubnetNetworks.LABEL, "subnet-0abc123");
    }

    @Test
    void thePauseImageIsOneStaticX8664ProgramInATar() {
        byte[] program = PauseImage.program();
        byte[] tar = PauseImage.rootFilesystem();

        assertThat(program).hasSize(129).startsWith(0x7f, 'E', 'L', 'F', 2, 1);
        // e_machine 0x3e: x86-64.
        assertThat(program[18]).isEqualTo((byte) 0x3e);
        assertThat(tar.length % 512).isZero();
        assertThat(new String(tar, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("pause");
        assertThat(new String(tar, 257, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ustar");
    }
}
