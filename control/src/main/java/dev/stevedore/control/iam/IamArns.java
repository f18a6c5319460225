package dev.stevedore.control.iam;

import java.util.Optional;

/**
 * IAM's ARNs: {@code arn:aws:iam::{account}:{kind}{path}{name}}, the path beginning and ending with
 * a slash. AWS managed policies have {@code aws} in place of the account.
 */
public final class IamArns {
    /** The account part of AWS managed policies' ARNs. */
    public static final String AWS = "aws";

    private IamArns() {
    }

    public static String of(String account, String kind, String path, String name) {
        return "arn:aws:iam::" + account + ":" + kind + path + name;
    }

    /** An IAM ARN taken apart: account, kind ({@code user}, {@code role}, {@code policy}…), path and name. */
    public record Parsed(String account, String kind, String path, String name) {
    }

    /** Takes an IAM ARN apart, or empty when it is not one of the form above. */
    public static Optional<Parsed> parse(String arn) {
        String head = "arn:aws:iam::";
        if (arn == null || !arn.startsWith(head)) {
            return Optional.empty();
        }
        int colon = arn.indexOf(':', head.length());
        if (colon < 0) {
            return Optional.empty();
        }
        String account = arn.substring(head.length(), colon);
        String resource = arn.substring(colon + 1);
        int firstSlash = resource.indexOf('/');
        int lastSlash = resource.lastIndexOf('/');
        if (firstSlash <= 0 || lastSlash == resource.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new Parsed(account, resource.substring(0, firstSlash),
                resource.substring(firstSlash, lastSlash + 1), resource.substring(lastSlash + 1)));
    }
}
