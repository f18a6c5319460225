package dev.stevedore.control.efs;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.control.ecs.EcsScope;

/**
 * The account and Region an EFS call acts in, and where its records live: {@code /efs/{account}/{region}/…},
 * one key per file system, mount target and access point, and one per creation or client token (which
 * names the resource it made, so a retry finds it).
 */
public record EfsScope(String accountId, String region) {

    public static EfsScope of(CallContext ctx) {
        return new EfsScope(ctx.principal().accountId(), ctx.region());
    }

    public static String root() {
        return "/efs/";
    }

    String prefix() {
        return root() + accountId + "/" + region + "/";
    }

    /** The EC2 scope of the same account and Region: mount targets live in its subnets. */
    EcsScope ec2() {
        return new EcsScope(accountId, region);
    }

    String fileSystems() {
        return prefix() + "file-systems/";
    }

    String fileSystem(String id) {
        return fileSystems() + id;
    }

    String creationToken(String token) {
        return prefix() + "creation-tokens/" + token;
    }

    String mountTargets() {
        return prefix() + "mount-targets/";
    }

    String mountTarget(String id) {
        return mountTargets() + id;
    }

    String accessPoints() {
        return prefix() + "access-points/";
    }

    String accessPoint(String id) {
        return accessPoints() + id;
    }

    String clientToken(String token) {
        return prefix() + "client-tokens/" + token;
    }

    String arnPrefix() {
        return "arn:aws:elasticfilesystem:" + region + ":" + accountId + ":";
    }

    String fileSystemArn(String id) {
        return arnPrefix() + "file-system/" + id;
    }

    String accessPointArn(String id) {
        return arnPrefix() + "access-point/" + id;
    }

    /** The scope a file system key belongs to, with the file system's id; empty for any other key. */
    static java.util.Optional<FileSystemKey> fileSystemKey(String key) {
        String[] parts = key.split("/", -1);
        // "", "efs", account, region, "file-systems", id
        if (parts.length == 6 && parts[1].equals("efs") && parts[4].equals("file-systems") && !parts[5].isEmpty()) {
            return java.util.Optional.of(new FileSystemKey(new EfsScope(parts[2], parts[3]), parts[5]));
        }
        return java.util.Optional.empty();
    }

    /** One file system, as its storage controller names it. */
    public record FileSystemKey(EfsScope scope, String fileSystemId) {
    }
}
