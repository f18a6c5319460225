package dev.stevedore.e2e;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.TagDescription;
import software.amazon.awssdk.services.ec2.model.Vpc;

import java.util.List;

/**
 * Everything an account's EC2 network shows in a Region, as the AWS SDK describes it: two equal
 * states mean a call in between changed nothing a user can see.
 */
record AccountState(List<Vpc> vpcs, List<Subnet> subnets, List<SecurityGroup> securityGroups,
                    List<TagDescription> tags, List<NetworkInterface> networkInterfaces) {

    static AccountState of(Ec2Client ec2) {
        return new AccountState(ec2.describeVpcs().vpcs(), ec2.describeSubnets().subnets(),
                ec2.describeSecurityGroups().securityGroups(), ec2.describeTags().tags(),
                ec2.describeNetworkInterfaces().networkInterfaces());
    }
}
