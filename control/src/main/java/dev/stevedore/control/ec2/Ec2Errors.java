package dev.stevedore.control.ec2;

import dev.stevedore.awsproto.AwsException;

import java.util.List;

/**
 * The EC2 error codes the VPC API answers with, and EC2's wording of their messages. Every one is a
 * client error (HTTP 400).
 */
public final class Ec2Errors {
    private Ec2Errors() {
    }

    public static AwsException of(String code, String message) {
        return AwsException.clientError(code, message);
    }

    public static AwsException invalidParameterValue(String message) {
        return of("InvalidParameterValue", message);
    }

    public static AwsException invalidParameterCombination(String message) {
        return of("InvalidParameterCombination", message);
    }

    public static AwsException missingParameter(String parameter) {
        return of("MissingParameter", "The request must contain the parameter " + parameter);
    }

    public static AwsException unknownFilter(String name) {
        return invalidParameterValue("The filter '" + name + "' is invalid");
    }

    public static AwsException invalidCidr(String parameter, String cidr) {
        return invalidParameterValue("Value (" + cidr + ") for parameter " + parameter
                + " is invalid. This is not a valid CIDR block.");
    }

    public static AwsException vpcNotFound(List<String> ids) {
        return notFound("InvalidVpcID.NotFound", "vpc", ids);
    }

    public static AwsException subnetNotFound(List<String> ids) {
        return notFound("InvalidSubnetID.NotFound", "subnet", ids);
    }

    public static AwsException networkInterfaceNotFound(List<String> ids) {
        return notFound("InvalidNetworkInterfaceID.NotFound", "networkInterface", ids);
    }

    public static AwsException groupNotFound(String idOrName) {
        return of("InvalidGroup.NotFound", "The security group '" + idOrName + "' does not exist");
    }

    /** Refuses a security group id that is not of the form {@code sg-…}, as EC2 does before looking it up. */
    public static String wellFormedGroupId(String id) {
        if (!Ec2Ids.isId(Ec2Ids.SECURITY_GROUP, id)) {
            throw of("InvalidGroupId.Malformed", "Invalid id: \"" + id + "\" (expecting \"sg-...\")");
        }
        return id;
    }

    /** The answer to a call made with DryRun: it would have succeeded (EC2 sends it with HTTP 412). */
    public static AwsException dryRun() {
        return new AwsException("DryRunOperation", 412, "Request would have succeeded, but DryRun flag is set.");
    }

    public static AwsException invalidId(String id) {
        return of("InvalidID", "The ID '" + id + "' is not valid");
    }

    /** EC2 names one missing id ({@code The vpc ID 'vpc-1' does not exist}) or lists several. */
    private static AwsException notFound(String code, String noun, List<String> ids) {
        String message = ids.size() == 1
                ? "The " + noun + " ID '" + ids.getFirst() + "' does not exist"
                : "The " + noun + " IDs '" + String.join(", ", ids) + "' do not exist";
        return of(code, message);
    }
}
