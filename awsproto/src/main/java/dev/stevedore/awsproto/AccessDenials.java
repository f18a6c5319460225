package dev.stevedore.awsproto;

/**
 * How a service says "access denied": each protocol family has its own code and status, and all name
 * the caller, the action and the resource in the same sentence.
 */
@FunctionalInterface
public interface AccessDenials {

    AwsException denied(String message);

    /** awsJson services such as ECS and ECR: {@code AccessDeniedException}, 400. */
    AccessDenials JSON = message -> new AwsException("AccessDeniedException", 400, message);

    /** REST-JSON services such as EFS: {@code AccessDeniedException}, 403. */
    AccessDenials REST_JSON = message -> new AwsException("AccessDeniedException", 403, message);

    /** Query services (IAM, STS): {@code AccessDenied}, 403. */
    AccessDenials QUERY = message -> new AwsException("AccessDenied", 403, message);

    /** EC2: {@code UnauthorizedOperation}, 403, with EC2's opening words. */
    AccessDenials EC2 = message -> new AwsException("UnauthorizedOperation", 403,
            "You are not authorized to perform this operation. " + message);

    /** AWS's sentence: who may not do what on which resource, and why. */
    static String sentence(Principal caller, AccessRequest request, String why) {
        return "User: " + caller.arn() + " is not authorized to perform: " + request.action() + " on resource: "
                + request.resource() + " " + why;
    }
}
