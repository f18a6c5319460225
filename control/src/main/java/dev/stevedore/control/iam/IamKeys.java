package dev.stevedore.control.iam;

import java.util.Locale;

/**
 * Where IAM records live in the store. IAM is global: one namespace per account, not per Region, so
 * the keys are {@code /iam/{account}/…} with no Region in them. Names are unique regardless of case,
 * so a name's key is its lower-case form.
 *
 * <p>Access keys are the exception: {@code /iam/access-keys/{id}} outside any account, because the
 * signature verifier knows only the id when it looks one up (and account ids are 12 digits, so the
 * two never meet).
 */
public final class IamKeys {
    private IamKeys() {
    }

    public static String prefix(String account) {
        return "/iam/" + account + "/";
    }

    public static String users(String account) {
        return prefix(account) + "users/";
    }

    public static String user(String account, String name) {
        return users(account) + fold(name);
    }

    public static String roles(String account) {
        return prefix(account) + "roles/";
    }

    public static String role(String account, String name) {
        return roles(account) + fold(name);
    }

    /** Customer managed policies, by name (IAM keeps policy names unique in an account, whatever their path). */
    public static String policies(String account) {
        return prefix(account) + "policies/";
    }

    public static String policy(String account, String name) {
        return policies(account) + fold(name);
    }

    /** The account's view of each AWS managed policy: its document and this account's attachments. */
    public static String awsPolicies(String account) {
        return prefix(account) + "aws-policies/";
    }

    public static String awsPolicy(String account, String name) {
        return awsPolicies(account) + name;
    }

    public static String instanceProfiles(String account) {
        return prefix(account) + "instance-profiles/";
    }

    public static String instanceProfile(String account, String name) {
        return instanceProfiles(account) + fold(name);
    }

    /** Written with the AWS managed policies and default roles the first time the account is used. */
    public static String defaultsMarker(String account) {
        return prefix(account) + "defaults";
    }

    public static String accessKey(String accessKeyId) {
        return "/iam/access-keys/" + accessKeyId;
    }

    static String fold(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
