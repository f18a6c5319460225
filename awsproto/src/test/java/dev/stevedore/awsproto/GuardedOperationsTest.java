package dev.stevedore.awsproto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GuardedOperationsTest {

    private static final Principal ROOT = new Principal("123456789012", "AKIAROOT", "arn:aws:iam::123456789012:root");
    private static final Principal BOB = new Principal("123456789012", "AKIABOB", "arn:aws:iam::123456789012:user/bob");

    private final List<String> ran = new ArrayList<>();
    private final List<AccessRequest> asked = new ArrayList<>();

    private final Map<String, JsonOperation> handlers = Map.of("RunTask", (ctx, input) -> {
        ran.add(ctx.principal().arn());
        return null;
    });
    private final Map<String, AccessRule> rules = Map.of("RunTask", (ctx, input) -> List.of(
            new AccessRequest("ecs:RunTask", "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1",
                    Map.of("ecs:cluster", List.of("arn:aws:ecs:us-east-1:123456789012:cluster/default"))),
            new AccessRequest("iam:PassRole", "arn:aws:iam::123456789012:role/app")));

    private Authorizer denying(String action) {
        return (ctx, request) -> {
            asked.add(request);
            return request.action().equals(action)
                    ? Optional.of("because no identity-based policy allows the " + action + " action")
                    : Optional.empty();
        };
    }

    private static CallContext call(Principal principal) {
        return new CallContext("req-1", principal, "RunTask", "us-east-1");
    }

    private static ObjectNode input() {
        return AwsJson.mapper().createObjectNode();
    }

    @Test
    void aDeniedRequestNeverReachesTheHandlerAndTheErrorNamesCallerActionAndResource() {
        JsonOperation op = GuardedOperations.guard(handlers, rules, denying("iam:PassRole"), AccessDenials.JSON)
                .get("RunTask");

        assertThatThrownBy(() -> op.handle(call(BOB), input()))
                .isInstanceOfSatisfying(AwsException.class, e -> {
                    assertThat(e.code()).isEqualTo("AccessDeniedException");
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("User: arn:aws:iam::123456789012:user/bob is not authorized"
                            + " to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/app because no"
                            + " identity-based policy allows the iam:PassRole action");
                });
        assertThat(ran).isEmpty();
        assertThat(asked).extracting(AccessRequest::action).containsExactly("ecs:RunTask", "iam:PassRole");
    }

    @Test
    void anAllowedRequestRunsTheHandler() {
        GuardedOperations.guard(handlers, rules, denying("ecs:StopTask"), AccessDenials.QUERY)
                .get("RunTask").handle(call(BOB), input());

        assertThat(ran).containsExactly(BOB.arn());
    }

    @Test
    void theAccountRootIsNeverAsked() {
        GuardedOperations.guard(handlers, rules, denying("ecs:RunTask"), AccessDenials.EC2)
                .get("RunTask").handle(call(ROOT), input());

        assertThat(ran).containsExactly(ROOT.arn());
        assertThat(asked).isEmpty();
    }

    @Test
    void anOperationWithoutARuleIsRefusedAtStartUp() {
        assertThatThrownBy(() -> GuardedOperations.guard(handlers, Map.of(), Authorizer.allowAll(), AccessDenials.JSON))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("operation RunTask declares no access rule");
    }

    @Test
    void rootIsRecognisedOnlyForItsOwnAccount() {
        assertThat(ROOT.isRoot()).isTrue();
        assertThat(BOB.isRoot()).isFalse();
        assertThat(new Principal("999999999999", "AKIAX", "arn:aws:iam::123456789012:root").isRoot()).isFalse();
        assertThat(new Principal("123456789012", "ASIAX", "arn:aws:sts::123456789012:assumed-role/root/x").isRoot())
                .isFalse();
    }
}
