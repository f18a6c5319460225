package dev.stevedore.control.ec2;

import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Ids;

import java.util.regex.Pattern;

/**
 * Resource ids and ARNs of the VPC records. Ids are EC2's long form: a type prefix and 17
 * lower-case hex digits (EC2 also still knows 8-digit ids, which are accepted as ids here).
 */
public final class Ec2Ids {
    public static final String VPC = "vpc";
    public static final String SUBNET = "subnet";
    public static final String SECURITY_GROUP = "sg";
    public static final String NETWORK_INTERFACE = "eni";

    private static final Pattern ID = Pattern.compile("([a-z]+(?:-[a-z]+)*)-(?:[0-9a-f]{8}|[0-9a-f]{17})");

    private Ec2Ids() {
    }

    /** A fresh id such as {@code vpc-0a1b2c3d4e5f67890}. */
    public static String newId(String prefix) {
        // The last 20 digits of Ids.newId() are random; the first 12 (time) would make ids look alike.
        return prefix + "-" + Ids.newId().substring(15);
    }

    /** The type prefix of a well-formed id ({@code vpc}, {@code sgr}, …), empty if the id is malformed. */
    public static java.util.Optional<String> prefixOf(String id) {
        if (id == null) {
            return java.util.Optional.empty();
        }
        var m = ID.matcher(id);
        return m.matches() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    public static boolean isId(String prefix, String id) {
        return prefixOf(id).filter(prefix::equals).isPresent();
    }

    /** {@code arn:aws:ec2:region:account:type/id}, as EC2 writes subnet and security group ARNs. */
    public static String arn(EcsScope scope, String resourceType, String id) {
        return "arn:aws:ec2:" + scope.region() + ":" + scope.accountId() + ":" + resourceType + "/" + id;
    }
}
