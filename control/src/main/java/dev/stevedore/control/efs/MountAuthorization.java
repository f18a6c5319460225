package dev.stevedore.control.efs;

/**
 * Whether a task role may act on a file system as an NFS client with IAM authorization: EFS evaluates
 * the role's identity policies together with the file system policy, the resource-based policy.
 */
@FunctionalInterface
public interface MountAuthorization {
    String CLIENT_MOUNT = "elasticfilesystem:ClientMount";
    String CLIENT_WRITE = "elasticfilesystem:ClientWrite";
    String CLIENT_ROOT_ACCESS = "elasticfilesystem:ClientRootAccess";

    /**
     * @param policy the file system policy, "" when it has none (then EFS grants every client full access)
     */
    boolean allows(String roleArn, String action, String fileSystemArn, String policy);
}
