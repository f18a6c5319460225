package dev.stevedore.agent.engine;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a secret of a task definition comes from, read off its {@code valueFrom} (or a
 * {@code repositoryCredentials.credentialsParameter}) as ECS reads it: a Secrets Manager ARN is a
 * secret, anything else a Parameter Store parameter. A name stands for the task's own Region; an
 * ARN names its Region itself.
 */
sealed interface SecretReference {

    /** Any partition's: {@code arn:aws:}, {@code arn:aws-cn:}, ... */
    Pattern SECRETS_MANAGER_ARN = Pattern.compile("^arn:[a-z-]+:secretsmanager:.*");
    Pattern PARAMETER_ARN = Pattern.compile("^arn:[a-z-]+:ssm:.*");

    /** The Region whose store holds the secret. */
    String region();

    /**
     * A Parameter Store parameter.
     *
     * @param name the name, path or ARN exactly as the definition gives it: it is sent as it is
     *             and its value found again by it
     */
    record Parameter(String region, String name) implements SecretReference {
        public Parameter {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * A Secrets Manager secret, and which part of which version of it.
     *
     * @param secretId the secret's ARN without the suffix, or its name
     * @param jsonKey  a top-level key of the SecretString's JSON object, whose value is wanted
     *                 instead of the whole string
     */
    record Secret(String region, String secretId, Optional<String> jsonKey, Optional<String> versionStage,
                  Optional<String> versionId) implements SecretReference {
        public Secret {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(secretId, "secretId");
            Objects.requireNonNull(jsonKey, "jsonKey");
            Objects.requireNonNull(versionStage, "versionStage");
            Objects.requireNonNull(versionId, "versionId");
        }
    }

    /**
     * A container secret's {@code valueFrom}: a parameter name or path, a parameter ARN, or a secret ARN,
     * optionally followed by {@code :json-key:version-stage:version-id} (each part may be empty, none
     * may be left out).
     *
     * @param taskRegion the Region a bare name stands for
     * @throws IllegalArgumentException for a Secrets Manager ARN of another form, in the ECS agent's words
     */
    static SecretReference parse(String valueFrom, String taskRegion) {
        Objects.requireNonNull(valueFrom, "valueFrom");
        if (SECRETS_MANAGER_ARN.matcher(valueFrom).matches()) {
            return secretArn(valueFrom);
        }
        if (PARAMETER_ARN.matcher(valueFrom).matches()) {
            return new Parameter(arnRegion(valueFrom).orElse(taskRegion), valueFrom);
        }
        return new Parameter(taskRegion, valueFrom);
    }

    /**
     * A {@code repositoryCredentials.credentialsParameter}: a secret's full or partial ARN, or its name
     * in the task's Region; never with the JSON-key suffix.
     */
    static Secret registryCredentials(String credentialsParameter, String taskRegion) {
        Objects.requireNonNull(credentialsParameter, "credentialsParameter");
        if (SECRETS_MANAGER_ARN.matcher(credentialsParameter).matches()) {
            return new Secret(arnRegion(credentialsParameter).orElse(taskRegion), credentialsParameter,
                    Optional.empty(), Optional.empty(), Optional.empty());
        }
        return new Secret(taskRegion, credentialsParameter, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** {@code arn:aws:secretsmanager:R:A:secret:ID[:key:stage:version]}: ARN fields are colon-separated, and a secret's name has no colon. */
    private static Secret secretArn(String arn) {
        String[] parts = arn.split(":", -1);
        // arn, partition, service, region, account, "secret", id, then nothing or the three optional parts.
        if ((parts.length != 7 && parts.length != 10) || !"secret".equals(parts[5]) || parts[6].isEmpty()
                || parts[3].isEmpty()) {
            throw new IllegalArgumentException(
                    "an invalid ARN format for the AWS Secrets Manager secret was specified. Specify a valid ARN and try again.");
        }
        String secretId = String.join(":", Arrays.copyOf(parts, 7));
        if (parts.length == 7) {
            return new Secret(parts[3], secretId, Optional.empty(), Optional.empty(), Optional.empty());
        }
        return new Secret(parts[3], secretId, nonEmpty(parts[7]), nonEmpty(parts[8]), nonEmpty(parts[9]));
    }

    private static Optional<String> arnRegion(String arn) {
        String[] parts = arn.split(":", 5);
        return parts.length >= 4 && !parts[3].isEmpty() ? Optional.of(parts[3]) : Optional.empty();
    }

    private static Optional<String> nonEmpty(String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
}
