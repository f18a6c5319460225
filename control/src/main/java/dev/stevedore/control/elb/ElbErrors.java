package dev.stevedore.control.elb;

import dev.stevedore.awsproto.AwsException;

/** The ELBv2 error codes the API answers with (every one a 400, as ELB's model has them). */
public final class ElbErrors {
    private ElbErrors() {
    }

    public static AwsException of(String code, String message) {
        return new AwsException(code, 400, message);
    }

    public static AwsException validation(String message) {
        return of("ValidationError", message);
    }

    public static AwsException loadBalancerNotFound() {
        return of("LoadBalancerNotFound", "One or more load balancers not found");
    }

    public static AwsException targetGroupNotFound() {
        return of("TargetGroupNotFound", "One or more target groups not found");
    }

    public static AwsException listenerNotFound() {
        return of("ListenerNotFound", "One or more listeners not found");
    }

    public static AwsException ruleNotFound() {
        return of("RuleNotFound", "One or more rules not found");
    }

    public static AwsException invalidConfiguration(String message) {
        return of("InvalidConfigurationRequest", message);
    }

    /** An operation or a setting of the model Stevedore does not serve yet: a clear client error. */
    public static AwsException notImplemented(String what) {
        return of("OperationNotPermitted", "Stevedore does not implement " + what + " yet.");
    }
}
