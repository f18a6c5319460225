package dev.stevedore.control.ec2;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** A fresh SQLite store and VPC API for each test. */
abstract class Ec2ApiTestBase {
    @TempDir
    Path dir;
    Ec2Harness ec2;

    @BeforeEach
    void openHarness() {
        ec2 = new Ec2Harness(dir);
    }

    @AfterEach
    void closeHarness() {
        ec2.close();
    }

    /** A new VPC's id. */
    String newVpc(String cidr) {
        return ec2.call("CreateVpc", dev.stevedore.model.ec2.CreateVpcRequest.builder().cidrBlock(cidr).build(),
                dev.stevedore.model.ec2.CreateVpcResult.class).vpc().vpcId();
    }
}
