package dev.stevedore.policy;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What IAM says of a Resource that is not a well-formed ARN (or {@code *}), service by service. */
final class ResourceArnFormat {
    private static final List<String> IAM_RESOURCE_TYPES = List.of(
            "user/", "federated-user/", "role/", "group/", "instance-profile/", "mfa/", "server-certificate/", "policy/",
            "sms-mfa/", "saml-provider/", "oidc-provider/", "report/", "access-report/");
    private static final Set<String> PARTITIONS = Set.of("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc", "*");

    private ResourceArnFormat() {}

    /** IAM's message for a malformed resource, or empty when it is well-formed. */
    static Optional<String> error(String r) {
        if (r.equals("*")) {
            return Optional.empty();
        }
        String[] parts = r.split(":", 6);
        if (parts.length < 2) {
            return Optional.of("Resource " + r + " must be in ARN format or \"*\".");
        }
        if (!PARTITIONS.contains(parts[1])) {
            String p = parts[1];
            String[] rest = r.split(":", -1);
            String arn1 = rest.length > 2 && (!rest[2].isEmpty() || rest.length > 3) ? rest[2] : "*";
            String arn2 = rest.length > 3 ? rest[3] : "*";
            String arn3 = rest.length > 4 ? rest[4] : "*";
            String arn4 = rest.length > 5 ? String.join(":", List.of(rest).subList(5, rest.length)) : "*";
            return Optional.of("Partition \"" + p + "\" is not valid for resource \"arn:" + p + ":" + arn1 + ":" + arn2 + ":" + arn3 + ":" + arn4 + "\".");
        }
        if (parts.length < 3 || parts[2].isEmpty() || parts[2].indexOf('*') >= 0 || parts[2].indexOf('?') >= 0) {
            return Optional.of("Resource vendor must be fully qualified and cannot contain regexes.");
        }
        String service = parts[2];
        String region = parts.length > 3 ? parts[3] : "";
        String resource = parts.length > 5 ? parts[5] : "";
        if (service.equals("iam")) {
            if (!region.isEmpty()) {
                return Optional.of("IAM resource " + r + " cannot contain region information.");
            }
            if (parts.length == 6 && !resource.equals("*") && !resource.equals("root")
                    && IAM_RESOURCE_TYPES.stream().noneMatch(resource::startsWith)) {
                return Optional.of("IAM resource path must either be \"*\", root, or start with " + String.join(", ", IAM_RESOURCE_TYPES) + ".");
            }
        }
        if (service.equals("s3") && !region.isEmpty() && !resource.startsWith("accesspoint/")) {
            return Optional.of("Resource " + r + " can not contain region information.");
        }
        return Optional.empty();
    }
}
