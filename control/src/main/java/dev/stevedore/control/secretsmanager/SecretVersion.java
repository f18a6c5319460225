package dev.stevedore.control.secretsmanager;

import java.time.Instant;
import java.util.List;

/**
 * One version of a secret as stored: its value sealed ({@link SecretValues}), never in clear.
 *
 * @param binary whether the value was given as SecretBinary (the sealed text is then its Base64)
 * @param stages the staging labels on it; a version left with none is dropped
 */
record SecretVersion(String versionId, boolean binary, String sealed, List<String> stages, Instant createdDate) {

    SecretVersion {
        stages = List.copyOf(stages);
    }

    SecretVersion withStages(List<String> newStages) {
        return new SecretVersion(versionId, binary, sealed, newStages, createdDate);
    }
}
