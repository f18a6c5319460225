package dev.stevedore.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Documents built to hurt the parser or the matcher are refused, or evaluated, cleanly. */
class HostileInputTest {

    @Test
    void deepNestingIsASyntaxErrorNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> PolicyDocument.parse(deep)).isInstanceOf(MalformedPolicyException.class).hasMessage("Syntax errors in policy.");

        String deepCondition = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"k:k\":" + "[".repeat(50_000) + "]".repeat(50_000) + "}}}}";
        assertThatThrownBy(() -> PolicyDocument.parse(deepCondition, PolicyKind.IDENTITY)).hasMessage("Syntax errors in policy.");

        String deepObjects = "{\"a\":".repeat(60_000) + "1" + "}".repeat(60_000);
        assertThatThrownBy(() -> PolicyDocument.parse(deepObjects)).hasMessage("Syntax errors in policy.");
    }

    @Test
    void aDocumentLongerThanIamsParameterIsRefusedBeforeItIsRead() {
        StringBuilder actions = new StringBuilder();
        while (actions.length() <= PolicyParser.MAX_DOCUMENT_CHARS) {
            actions.append("\"ecs:DescribeClusters\",");
        }
        String huge = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":[" + actions + "\"ecs:X\"],\"Resource\":\"*\"}}";
        assertThatThrownBy(() -> PolicyDocument.parse(huge, PolicyKind.IDENTITY)).hasMessage("Syntax errors in policy.");
    }

    @Test
    void truncatedTrailingAndDuplicatedJsonIsRefused() {
        String ok = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}";
        assertThatThrownBy(() -> PolicyDocument.parse(ok.substring(0, ok.length() - 1))).hasMessage("Syntax errors in policy.");
        assertThatThrownBy(() -> PolicyDocument.parse(ok + "{}")).hasMessage("Syntax errors in policy.");
        assertThatThrownBy(() -> PolicyDocument.parse(ok.replace("\"Action\"", "\"Effect\":\"Deny\",\"Action\""))).hasMessage("Syntax errors in policy.");
        assertThatThrownBy(() -> PolicyDocument.parse("")).hasMessage("Syntax errors in policy.");
        assertThatThrownBy(() -> PolicyDocument.parse("null")).hasMessage("Syntax errors in policy.");
    }

    @Test
    void wildcardsThatBacktrackStayPolynomial() {
        // A classic exponential case for naive recursive globbing: many stars and a near miss.
        String pattern = "arn:aws:s3:::" + "a*".repeat(40) + "b";
        String resource = "arn:aws:s3:::" + "a".repeat(5_000);
        String stars = "arn:aws:ecs:us-east-1:111122223333:task/" + "x*".repeat(40) + "y";
        String task = "arn:aws:ecs:us-east-1:111122223333:task/" + "x".repeat(5_000);
        PolicyDocument doc = PolicyDocument.parse(("{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'*','Resource':['" + pattern
                + "','" + stars + "']},{'Effect':'Allow','Action':'*','Resource':'*','Condition':{'StringLike':{'s3:prefix':'" + "a*".repeat(40) + "b'}}}]}")
                .replace('\'', '"'), PolicyKind.IDENTITY);
        Principal user = Principal.user("111122223333", "arn:aws:iam::111122223333:user/x");
        List<NamedPolicy> policies = List.of(new NamedPolicy("p", doc));
        RequestContext context = RequestContext.builder().put("s3:prefix", "a".repeat(5_000)).build();
        assertThat(PolicyEvaluator.evaluate(AuthorizationRequest.of(user, "s3:GetObject", resource, context, policies)).allowed()).isFalse();
        assertThat(PolicyEvaluator.evaluate(AuthorizationRequest.of(user, "ecs:StopTask", task, context, policies)).allowed()).isFalse();
    }
}
