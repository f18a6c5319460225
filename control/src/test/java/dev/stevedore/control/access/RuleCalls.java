package dev.stevedore.control.access;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.Principal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs access rules the way the guard does, for an IAM user of the test account, and spells the expected requests. */
public final class RuleCalls {
    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";
    public static final Principal BOB = new Principal(ACCOUNT, "AKIABOB", "arn:aws:iam::" + ACCOUNT + ":user/bob");

    private RuleCalls() {
    }

    /** The requests {@code rules} declare for {@code operation} called with the JSON {@code input}. */
    public static List<AccessRequest> requests(Map<String, AccessRule> rules, String operation, String input) {
        return rules.get(operation).requests(new CallContext("req-1", BOB, operation, REGION), json(input));
    }

    /**
     * Every rule answers an empty input with at least one request and no null condition value: a rule
     * that threw would turn a denial (or a validation error) into a 500, one that asked nothing would
     * let the call through.
     */
    public static void assertEveryRuleAsksForSomething(Map<String, AccessRule> rules) {
        for (String operation : rules.keySet()) {
            assertThat(requests(rules, operation, "{}")).as(operation).isNotEmpty()
                    .allSatisfy(request -> assertThat(request.conditionKeys().values()).as(operation)
                            .allSatisfy(values -> assertThat(values).doesNotContainNull()));
        }
    }

    public static ObjectNode json(String text) {
        try {
            return (ObjectNode) AwsJson.mapper().readTree(text.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An expected request; {@code keys} alternate condition key and value, a key given twice has two values. */
    public static AccessRequest request(String action, String resource, String... keys) {
        Map<String, List<String>> conditions = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i += 2) {
            conditions.computeIfAbsent(keys[i], k -> new ArrayList<>()).add(keys[i + 1]);
        }
        return new AccessRequest(action, resource, conditions);
    }
}
