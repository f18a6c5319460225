package dev.stevedore.control.ecs.service.history;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.control.ecs.Arns;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.service.ServiceRef;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A service deployment or service revision ARN taken apart:
 * {@code arn:aws:ecs:REGION:ACCOUNT:service-deployment/CLUSTER/SERVICE/ID} (ID 21 characters of
 * base64url) or {@code …:service-revision/CLUSTER/SERVICE/ID} (ID the 19 digits of a deployment).
 */
record HistoryArns(ServiceRef service, String id) {
    private static final Pattern DEPLOYMENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern REVISION_ID = Pattern.compile("[0-9]{1,19}");

    /** A service deployment ARN of this account and Region; empty for anything else. */
    static Optional<HistoryArns> deployment(EcsScope scope, String arn) {
        return parse(scope, arn, "service-deployment", DEPLOYMENT_ID);
    }

    /** A service revision ARN of this account and Region; empty for anything else. */
    static Optional<HistoryArns> revision(EcsScope scope, String arn) {
        return parse(scope, arn, "service-revision", REVISION_ID);
    }

    /** ECS's answer for a service deployment ARN that names none. */
    static AwsException deploymentNotFound() {
        return EcsErrors.of("ServiceDeploymentNotFoundException", "Service deployment not found.");
    }

    String deploymentKey() {
        return EcsKeys.serviceDeployment(service.scope(), service.cluster(), service.name(), id);
    }

    String revisionKey() {
        return EcsKeys.serviceRevision(service.scope(), service.cluster(), service.name(), id);
    }

    private static Optional<HistoryArns> parse(EcsScope scope, String text, String type, Pattern idPattern) {
        return Arns.parse(text)
                .filter(a -> a.isIn(scope) && type.equals(a.resourceType()))
                .map(a -> a.resourceId().split("/", -1))
                .filter(parts -> parts.length == 3 && Arns.NAME.matcher(parts[0]).matches()
                        && Arns.NAME.matcher(parts[1]).matches() && idPattern.matcher(parts[2]).matches())
                .map(parts -> new HistoryArns(new ServiceRef(scope, parts[0], parts[1]), parts[2]));
    }
}
