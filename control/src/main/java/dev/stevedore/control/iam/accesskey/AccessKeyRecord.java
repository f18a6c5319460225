package dev.stevedore.control.iam.accesskey;

import dev.stevedore.model.iam.AccessKeyMetadata;

import java.time.Instant;

/**
 * An access key as stored under its id: whose it is and its secret, sealed (never the secret itself).
 *
 * @param sealedSecret the secret access key as {@link dev.stevedore.control.iam.SecretSealer} sealed it,
 *                     bound to the access key id
 */
public record AccessKeyRecord(String accessKeyId, String accountId, String userName, String status,
                              Instant createDate, String sealedSecret) {

    public AccessKeyRecord withUserName(String next) {
        return new AccessKeyRecord(accessKeyId, accountId, next, status, createDate, sealedSecret);
    }

    public AccessKeyRecord withStatus(String next) {
        return new AccessKeyRecord(accessKeyId, accountId, userName, next, createDate, sealedSecret);
    }

    public AccessKeyMetadata metadata() {
        return new AccessKeyMetadata(accessKeyId, createDate, status, userName);
    }

    // The sealed secret stays out of logs too.
    @Override
    public String toString() {
        return "AccessKeyRecord[" + accessKeyId + ", " + accountId + ", " + userName + ", " + status + "]";
    }
}
