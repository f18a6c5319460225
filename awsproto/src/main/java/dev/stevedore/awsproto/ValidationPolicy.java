package dev.stevedore.awsproto;

import java.util.List;

/**
 * How one service reports requests that do not fit its model: which error code and message each class
 * of problem gets. Services differ here (ECS answers {@code InvalidParameterException} where most AWS
 * services answer {@code ValidationException}), so every endpoint takes the policy of its service.
 */
public interface ValidationPolicy {

    /** The error for a request whose values break model constraints (required, length, range, enum, pattern). */
    AwsException constraintViolations(List<Violation> violations);

    /**
     * The error for a request that cannot be read as the input shape at all: malformed JSON, a body
     * that is not an object, or a member of the wrong JSON type.
     */
    AwsException malformedInput(String message);

    /**
     * The policy of most AWS JSON services: the request-validation layer of the AWS service framework
     * answers {@code ValidationException} with {@code N validation error(s) detected: ...}, and its
     * JSON deserializer answers {@code SerializationException}.
     */
    static ValidationPolicy awsDefault() {
        return new CoralValidationPolicy("ValidationException", "SerializationException");
    }

    /**
     * The ECS policy.
     *
     * <p>Choice and sources: malformed or mistyped bodies get 400 {@code SerializationException}, as
     * ECS answers (seen from ECS in traefik/traefik#3831, "SerializationException: status code: 400").
     * Constraint violations get 400 {@code InvalidParameterException} with the standard AWS
     * "1 validation error detected: Value ... at '...' failed to satisfy constraint: ..." text. ECS
     * reports its own parameter checks as {@code InvalidParameterException} (e.g. "Cluster must match
     * ^[a-zA-Z0-9\-_]{1,255}$, but was ..." in awslabs/amazon-ecs-nodejs-microservices#18), and that
     * shape is modelled on all 77 ECS operations, so SDKs raise their typed exception for it; the
     * framework default {@code ValidationException} is not in the ECS model at all. No public trace
     * shows which code ECS uses for a model-level violation specifically, so the code is our choice;
     * the message is the framework's format, as AWS services answer it (e.g. IAM's "1 validation error
     * detected: Value '...' at 'tags.6.member.value' failed to satisfy constraint: Member must satisfy
     * regular expression pattern: ..." in SWO-GS/auto-tag#90, Lambda's "Map keys must satisfy
     * constraint: [...]").
     */
    static ValidationPolicy ecs() {
        return new CoralValidationPolicy("InvalidParameterException", "SerializationException");
    }

    /**
     * The ECR policy: ECR answers values outside its model's constraints (a repository name or tag off
     * its pattern) with {@code InvalidParameterException}, the code its model declares on every
     * operation, rather than the framework's {@code ValidationException}.
     */
    static ValidationPolicy ecr() {
        return new CoralValidationPolicy("InvalidParameterException", "SerializationException");
    }

    /**
     * How a violation names a structure member: by default as the AWS service framework does, member
     * names joined by dots ({@code tags.1.member.key}).
     *
     * @param structurePath the path of the structure; empty for the input itself
     */
    default String memberPath(String structurePath, Member member) {
        return structurePath.isEmpty() ? member.name() : structurePath + "." + member.name();
    }

    /**
     * How a violation names a list element, counting from 1: by default {@code list.N.member}.
     */
    default String elementPath(String listPath, int position) {
        return listPath + "." + position + ".member";
    }

    /** The EC2 policy: one error per request, in EC2's codes and words (see {@link Ec2ValidationPolicy}). */
    static ValidationPolicy ec2() {
        return Ec2ValidationPolicy.INSTANCE;
    }

    /** The policy of the Query services, IAM and STS (see {@link QueryValidationPolicy}). */
    static ValidationPolicy query() {
        return QueryValidationPolicy.INSTANCE;
    }

    /**
     * The EFS policy: EFS models {@code BadRequest} (400) for "an invalid parameter value or a missing
     * required parameter" and no {@code SerializationException}, so both classes of problem get it, in
     * the framework's words.
     */
    static ValidationPolicy efs() {
        return new CoralValidationPolicy("BadRequest", "BadRequest");
    }

    /** The policy for a service, by its model's {@code serviceId}. */
    static ValidationPolicy forService(ServiceSpec spec) {
        return switch (spec.serviceId()) {
            case "ECS" -> ecs();
            case "ECR" -> ecr();
            case "EC2" -> ec2();
            case "IAM", "STS" -> query();
            case "EFS" -> efs();
            default -> awsDefault();
        };
    }
}
