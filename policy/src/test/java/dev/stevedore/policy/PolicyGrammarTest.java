package dev.stevedore.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Documents IAM refuses, with the message IAM gives, and documents it takes. Single quotes stand for double ones. */
class PolicyGrammarTest {

    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static String identity(String statement) {
        return json("{'Version':'2012-10-17','Statement':" + statement + "}");
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                // not JSON, or not a policy's shape
                Arguments.of(PolicyKind.IDENTITY, "{", "Syntax errors in policy."),
                Arguments.of(PolicyKind.IDENTITY, "[]", "Syntax errors in policy."),
                Arguments.of(PolicyKind.IDENTITY, json("{'Version':'2012-10-17'}"), "Syntax errors in policy."),
                Arguments.of(PolicyKind.IDENTITY, identity("[]"), "Syntax errors in policy."),
                Arguments.of(PolicyKind.IDENTITY, identity("'x'"), "Syntax errors in policy."),
                Arguments.of(PolicyKind.IDENTITY, json("{'Version':'2012-10-17','Extra':1,'Statement':{'Effect':'Allow','Action':'s3:*','Resource':'*'}}"), "Syntax errors in policy."),
                Arguments.of(PolicyKind.IDENTITY, json("{'Version':'2012-10-18','Statement':{'Effect':'Allow','Action':'s3:*','Resource':'*'}}"), "Syntax errors in policy."),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Permit','Action':'s3:*','Resource':'*'}"), "Syntax errors in policy."),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Action':'s3:*','Resource':'*'}"), "Syntax errors in policy."),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Action':'s3:*','NotAction':'s3:Get*','Resource':'*'}"), "Syntax errors in policy."),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Action':'s3:*','Resource':'*','Resources':'*'}"), "Syntax errors in policy."),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Action':{'a':'b'},'Resource':'*'}"), "Syntax errors in policy."),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Action':[1],'Resource':'*'}"), "Syntax errors in policy."),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Action':'s3:*','Resource':'*','Condition':{'StringEqualz':{'aws:username':'x'}}}"), "Syntax errors in policy."),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Action':'s3:*','Resource':'*','Condition':{'StringEquals':'x'}}"), "Syntax errors in policy."),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Action':'s3:*','Resource':'*','Condition':{'StringEquals':{'aws:username':{'a':1}}}}"), "Syntax errors in policy."),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Effect':'Deny','Action':'s3:*','Resource':'*'}"), "Syntax errors in policy."),
                // what the kind requires
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Principal':'*','Action':'s3:*','Resource':'*'}"), "Policy document should not specify a principal."),
                Arguments.of(PolicyKind.MANAGED, identity("{'Effect':'Allow','Principal':'*','Action':'s3:*','Resource':'*'}"), "Policy document should not specify a principal."),
                Arguments.of(PolicyKind.SESSION, identity("{'Effect':'Allow','NotPrincipal':{'AWS':'123456789012'},'Action':'s3:*','Resource':'*'}"), "Policy document should not specify a principal."),
                Arguments.of(PolicyKind.TRUST, identity("{'Effect':'Allow','Action':'sts:AssumeRole'}"), "Missing required field Principal"),
                Arguments.of(PolicyKind.TRUST, identity("{'Effect':'Allow','Principal':{'Service':'ecs-tasks.amazonaws.com'},'Action':'sts:AssumeRole','Resource':'*'}"), "Has prohibited field Resource"),
                Arguments.of(PolicyKind.TRUST, identity("{'Effect':'Allow','Principal':{'AWS':'bob'},'Action':'sts:AssumeRole'}"), "Invalid principal in policy: \"AWS\":\"bob\""),
                Arguments.of(PolicyKind.TRUST, identity("{'Effect':'Allow','Principal':{'AWS':[]},'Action':'sts:AssumeRole'}"),
                        "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!"),
                Arguments.of(PolicyKind.TRUST, identity("{'Effect':'Allow','Principal':{'AWS':'*'},'Action':'s3:GetObject'}"), "Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity"),
                Arguments.of(PolicyKind.RESOURCE, identity("{'Effect':'Allow','Action':'ecr:*','Resource':'*'}"), "Missing required field Principal"),
                // Version
                Arguments.of(PolicyKind.MANAGED, json("{'Statement':{'Effect':'Allow','Action':'s3:*','Resource':'*'}}"), "Policy document must be version 2012-10-17 or greater."),
                Arguments.of(PolicyKind.MANAGED, json("{'Version':'2008-10-17','Statement':{'Effect':'Allow','Action':'s3:*','Resource':'*'}}"), "Policy document must be version 2012-10-17 or greater."),
                // the legacy parser
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'allow','Action':'s3:*','Resource':'*'}"), "The policy failed legacy parsing"),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Action':'s3:*','Resource':'*','Condition':{'DateGreaterThan':{'aws:CurrentTime':'yesterday'}}}"), "The policy failed legacy parsing"),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Action':'s3:*','Resource':'arn:aws::bucket'}"), "The policy failed legacy parsing"),
                // Sids
                Arguments.of(PolicyKind.IDENTITY, identity("[{'Sid':'A','Effect':'Allow','Action':'s3:*','Resource':'*'},{'Sid':'A','Effect':'Deny','Action':'s3:*','Resource':'*'}]"), "Statement IDs (SID) in a single policy must be unique."),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Sid':'not ok','Effect':'Allow','Action':'s3:*','Resource':'*'}"), "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"),
                // actions and resources
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Resource':'*'}"), "Policy statement must contain actions."),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Action':[],'Resource':'*'}"), "Policy statement must contain actions."),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Action':'s3:*'}"), "Policy statement must contain resources."),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Action':'s3:*','Resource':'bucket'}"), "Resource bucket must be in ARN format or \"*\"."),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Action':'s3:*','Resource':'arn:aws:*:::bucket'}"), "Resource vendor must be fully qualified and cannot contain regexes."),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Action':'s3:*','Resource':'arn:foo:s3:::bucket'}"), "Partition \"foo\" is not valid for resource \"arn:foo:s3:::bucket\"."),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Action':'iam:*','Resource':'arn:aws:iam:us-east-1:123456789012:user/bob'}"), "IAM resource arn:aws:iam:us-east-1:123456789012:user/bob cannot contain region information."),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Action':'ecs:RunTask','Resource':'*'}").replace("ecs:RunTask", "RunTask"), "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Action':'ecs:Run:Task','Resource':'*'}"), "Actions/Condition can contain only one colon."),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Action':'e c s:RunTask','Resource':'*'}"), "Vendor e c s is not valid"),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Action':'s3:*','Resource':'*','Condition':{'StringEquals':{'username':'bob'}}}"), "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("refused")
    void refusesWithIamsMessage(PolicyKind kind, String document, String message) {
        assertThatThrownBy(() -> PolicyDocument.parse(document, kind))
                .isInstanceOf(MalformedPolicyException.class)
                .hasMessage(message);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Action':'ecs:Describe*','Resource':'*'}")),
                Arguments.of(PolicyKind.IDENTITY, identity("[{'Sid':'One','Effect':'Allow','Action':['ecs:RunTask','ecs:StopTask'],'Resource':['arn:aws:ecs:*:123456789012:cluster/*','arn:aws:ecs:us-east-1:123456789012:task/*']}]")),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','NotAction':'iam:*','NotResource':'arn:aws:iam::123456789012:root'}")),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Deny','Action':'*','Resource':'*','Condition':{'BoolIfExists':{'aws:MultiFactorAuthPresent':false},'NumericLessThan':{'aws:EpochTime':1700000000}}}")),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Allow','Action':'s3:*','Resource':'*','Condition':{'ForAllValues:StringLikeIfExists':{'aws:TagKeys':['env*','team']},'UnknownOp':{}}}")),
                Arguments.of(PolicyKind.MANAGED, identity("{'Effect':'Allow','Action':'ecs:List*','Resource':'*'}")),
                Arguments.of(PolicyKind.SESSION, identity("{'Effect':'Allow','Action':'ecs:List*','Resource':'*'}")),
                Arguments.of(PolicyKind.IDENTITY, identity("{'Effect':'Deny','Action':'*','Resource':'*','Condition':{'StringEquals':{'aws:ResourceTag/aws:cloudformation:stack-name':'prod'}}}")),
                // an inline policy without a Version is read as 2008-10-17
                Arguments.of(PolicyKind.IDENTITY, json("{'Statement':[{'Effect':'Allow','Action':'s3:ListAllMyBuckets','Resource':'arn:aws:s3:::*'}]}")),
                Arguments.of(PolicyKind.TRUST, json("{'Version':'2008-10-17','Statement':[{'Sid':'','Effect':'Allow','Principal':{'Service':'ec2.amazonaws.com'},'Action':'sts:AssumeRole'}]}")),
                Arguments.of(PolicyKind.TRUST, identity("{'Effect':'Allow','Principal':{'AWS':['123456789012','arn:aws:iam::123456789012:root','arn:aws:iam::123456789012:user/ops']},'Action':['sts:AssumeRole','sts:TagSession']}")),
                Arguments.of(PolicyKind.TRUST, identity("{'Effect':'Allow','Principal':'*','Action':'sts:*','Condition':{'StringEquals':{'aws:PrincipalAccount':'123456789012'}}}")),
                Arguments.of(PolicyKind.RESOURCE, identity("{'Sid':'pull from any account','Effect':'Allow','Principal':'*','Action':['ecr:BatchGetImage'],'Resource':'*'}")));
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void accepts(PolicyKind kind, String document) {
        assertThatCode(() -> PolicyDocument.parse(document, kind)).doesNotThrowAnyException();
    }

    @Test
    void theKindlessParseTakesBothIdentityAndTrustDocuments() {
        assertThatCode(() -> PolicyDocument.parse(identity("{'Effect':'Allow','Action':'s3:*','Resource':'*'}"))).doesNotThrowAnyException();
        assertThatCode(() -> PolicyDocument.parse(identity("{'Effect':'Allow','Principal':{'Service':'ecs-tasks.amazonaws.com'},'Action':'sts:AssumeRole'}")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> PolicyDocument.parse("nope")).hasMessage("Syntax errors in policy.");
    }

    @Test
    void aSingleStatementAndSingleValuesReadLikeArrays() {
        PolicyDocument doc = PolicyDocument.parse(identity("{'Sid':'S1','Effect':'Deny','Action':'ecs:RunTask','Resource':'*'}"), PolicyKind.IDENTITY);
        assertThat(doc.version()).contains("2012-10-17");
        assertThat(doc.statements()).singleElement().satisfies(s -> {
            assertThat(s.sid()).contains("S1");
            assertThat(s.effect()).isEqualTo(Effect.DENY);
            assertThat(s.actions().written()).containsExactly("ecs:RunTask");
            assertThat(s.actions().negated()).isFalse();
        });
    }

    @Test
    void sizeQuotasCountNonWhitespaceCharacters() {
        assertThat(PolicyDocument.countedLength("{ \"a\" :\n\t\"b c\" }")).isEqualTo(10);
    }
}
