package dev.stevedore.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.policy.Decision.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** IAM's evaluation logic within an account and across accounts, from the cases AWS's guide walks through. */
class EvaluationLogicTest {
    static final String ACCOUNT = "111122223333";
    static final Principal.Aws USER = Principal.user(ACCOUNT, "arn:aws:iam::111122223333:user/carlos");
    static final Principal.Aws SESSION = Principal.roleSession(ACCOUNT, "arn:aws:iam::111122223333:role/app",
            "arn:aws:sts::111122223333:assumed-role/app/task-1");

    static NamedPolicy policy(String name, String statements) {
        return new NamedPolicy(name, PolicyDocument.parse(
                ("{'Version':'2012-10-17','Statement':" + statements + "}").replace('\'', '"')));
    }

    static NamedPolicy allow(String name, String action) {
        return policy(name, "{'Effect':'Allow','Action':'" + action + "','Resource':'*'}");
    }

    static NamedPolicy deny(String name, String action) {
        return policy(name, "{'Effect':'Deny','Action':'" + action + "','Resource':'*'}");
    }

    static Decision evaluate(Principal who, String action, String resource, List<NamedPolicy> identity) {
        return PolicyEvaluator.evaluate(AuthorizationRequest.of(who, action, resource, RequestContext.empty(), identity));
    }

    /**
     * The guide's table for a principal with identity-based policies, a permissions boundary and a
     * session policy: allowed only where all three allow; a policy type that is absent does not limit.
     */
    static Stream<Arguments> identityBoundarySession() {
        return Stream.of(
                // identity, boundary (null = none), session (null = none), verdict
                Arguments.of(true, null, null, Verdict.ALLOW),
                Arguments.of(false, null, null, Verdict.IMPLICIT_DENY),
                Arguments.of(true, true, null, Verdict.ALLOW),
                Arguments.of(true, false, null, Verdict.IMPLICIT_DENY),
                Arguments.of(false, true, null, Verdict.IMPLICIT_DENY),
                Arguments.of(true, null, true, Verdict.ALLOW),
                Arguments.of(true, null, false, Verdict.IMPLICIT_DENY),
                Arguments.of(false, null, true, Verdict.IMPLICIT_DENY),
                Arguments.of(true, true, true, Verdict.ALLOW),
                Arguments.of(true, true, false, Verdict.IMPLICIT_DENY),
                Arguments.of(true, false, true, Verdict.IMPLICIT_DENY),
                Arguments.of(false, true, true, Verdict.IMPLICIT_DENY));
    }

    @ParameterizedTest(name = "identity={0} boundary={1} session={2} -> {3}")
    @MethodSource("identityBoundarySession")
    void identityBoundaryAndSessionPoliciesIntersect(boolean identity, Boolean boundary, Boolean session, Verdict verdict) {
        AuthorizationRequest r = AuthorizationRequest.of(SESSION, "ecs:RunTask", "*", RequestContext.empty(),
                List.of(identity ? allow("id", "ecs:*") : allow("id", "s3:*")));
        if (boundary != null) {
            r = r.withPermissionsBoundary(boundary ? allow("boundary", "ecs:RunTask") : allow("boundary", "ecs:Describe*"));
        }
        if (session != null) {
            r = r.withSessionPolicies(List.of(session ? allow("session", "ecs:Run*") : allow("session", "logs:*")));
        }
        Decision d = PolicyEvaluator.evaluate(r);
        assertThat(d.verdict()).isEqualTo(verdict);
        if (verdict == Verdict.ALLOW) {
            assertThat(d.statement().orElseThrow().policy()).isEqualTo("id");
        } else {
            assertThat(d.statement()).isEmpty();
        }
    }

    @Test
    void aDenyAnywhereBeatsEveryAllowAndNamesItsStatement() {
        NamedPolicy admin = allow("AdministratorAccess", "*");
        NamedPolicy noRun = policy("arn:aws:iam::111122223333:policy/NoRun",
                "[{'Sid':'Other','Effect':'Deny','Action':'s3:*','Resource':'*'},{'Sid':'NoRunTask','Effect':'Deny','Action':'ecs:RunTask','Resource':'*'}]");
        Decision d = evaluate(USER, "ecs:RunTask", "*", List.of(admin, noRun));
        assertThat(d.verdict()).isEqualTo(Verdict.EXPLICIT_DENY);
        assertThat(d.statement().orElseThrow().toString()).isEqualTo("arn:aws:iam::111122223333:policy/NoRun#NoRunTask");
        assertThat(d.statement().orElseThrow().index()).isEqualTo(1);

        // in the boundary, a session policy, or the resource's policy just the same
        AuthorizationRequest base = AuthorizationRequest.of(USER, "ecs:RunTask", "*", RequestContext.empty(), List.of(admin));
        assertThat(PolicyEvaluator.evaluate(base.withPermissionsBoundary(policy("b",
                "[{'Effect':'Allow','Action':'*','Resource':'*'},{'Effect':'Deny','Action':'ecs:Run*','Resource':'*'}]"))).verdict())
                .isEqualTo(Verdict.EXPLICIT_DENY);
        assertThat(PolicyEvaluator.evaluate(base.withSessionPolicies(List.of(deny("s", "ecs:*")))).verdict()).isEqualTo(Verdict.EXPLICIT_DENY);
        assertThat(PolicyEvaluator.evaluate(base.withResourcePolicy(policy("r",
                "{'Effect':'Deny','Principal':{'AWS':'111122223333'},'Action':'ecs:*','Resource':'*'}"))).verdict())
                .isEqualTo(Verdict.EXPLICIT_DENY);
    }

    static Stream<Arguments> denialReasons() {
        AuthorizationRequest base = AuthorizationRequest.of(SESSION, "ecs:RunTask", "*", RequestContext.empty(), List.of(allow("id", "ecs:*")));
        return Stream.of(
                Arguments.of(base, null),
                Arguments.of(AuthorizationRequest.of(SESSION, "ecs:RunTask", "*", RequestContext.empty(), List.of()),
                        "because no identity-based policy allows the ecs:RunTask action"),
                Arguments.of(base.withPermissionsBoundary(allow("b", "s3:*")), "because no permissions boundary allows the ecs:RunTask action"),
                Arguments.of(base.withSessionPolicies(List.of(allow("s", "s3:*"))), "because no session policy allows the ecs:RunTask action"),
                Arguments.of(base.withResourceAccount("444455556666"), "because no resource-based policy allows the ecs:RunTask action"),
                Arguments.of(AuthorizationRequest.of(SESSION, "ecs:RunTask", "*", RequestContext.empty(), List.of(deny("id", "ecs:*"))),
                        "with an explicit deny in an identity-based policy"),
                Arguments.of(base.withPermissionsBoundary(deny("b", "*")), "with an explicit deny in a permissions boundary"),
                Arguments.of(base.withSessionPolicies(List.of(deny("s", "*"))), "with an explicit deny in a session policy"),
                Arguments.of(base.withResourcePolicy(policy("r", "{'Effect':'Deny','Principal':'*','Action':'*','Resource':'*'}")),
                        "with an explicit deny in a resource-based policy"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("denialReasons")
    void aDenialSaysWhichTypeOfPolicyDecidedInAwsWords(AuthorizationRequest request, String reason) {
        Decision d = PolicyEvaluator.evaluate(request);
        if (reason == null) {
            assertThat(d.allowed()).isTrue();
            assertThat(d.policyType()).isEqualTo(PolicyType.IDENTITY_BASED);
            assertThat(d.denialReason("ecs:RunTask")).isEmpty();
        } else {
            assertThat(d.denialReason("ecs:RunTask")).contains(reason);
        }
    }

    @Test
    void aUserAllowedOnlyDescribeIsDeniedRunTask() {
        List<NamedPolicy> readOnly = List.of(allow("describe", "ecs:Describe*"));
        assertThat(evaluate(USER, "ecs:DescribeClusters", "*", readOnly).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(evaluate(USER, "ECS:describeclusters", "*", readOnly).verdict()).as("actions ignore case").isEqualTo(Verdict.ALLOW);
        assertThat(evaluate(USER, "ecs:RunTask", "*", readOnly).verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
        assertThat(evaluate(USER, "ecs:RunTask", "*", List.of()).verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    }

    @Test
    void notActionWithAllowGrantsEverythingElse() {
        // The guide's example: everything except IAM.
        List<NamedPolicy> p = List.of(policy("p", "{'Effect':'Allow','NotAction':'iam:*','Resource':'*'}"));
        assertThat(evaluate(USER, "ecs:RunTask", "*", p).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(evaluate(USER, "iam:CreateUser", "*", p).verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
        // NotAction with Deny: deny everything except the listed actions.
        List<NamedPolicy> q = List.of(allow("all", "*"), policy("q", "{'Effect':'Deny','NotAction':['sts:GetCallerIdentity','iam:ChangePassword'],'Resource':'*'}"));
        assertThat(evaluate(USER, "sts:GetCallerIdentity", "*", q).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(evaluate(USER, "ecs:ListClusters", "*", q).verdict()).isEqualTo(Verdict.EXPLICIT_DENY);
    }

    @Test
    void notResourceAppliesToEveryResourceButTheListedOnes() {
        List<NamedPolicy> p = List.of(policy("p",
                "{'Effect':'Allow','Action':'ecs:*','NotResource':'arn:aws:ecs:us-east-1:111122223333:cluster/prod'}"));
        assertThat(evaluate(USER, "ecs:DeleteCluster", "arn:aws:ecs:us-east-1:111122223333:cluster/dev", p).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(evaluate(USER, "ecs:DeleteCluster", "arn:aws:ecs:us-east-1:111122223333:cluster/prod", p).verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    }

    static Stream<Arguments> resourceWildcards() {
        return Stream.of(
                Arguments.of("*", "arn:aws:ecs:us-east-1:111122223333:cluster/default", true),
                Arguments.of("arn:aws:ecs:*:111122223333:cluster/*", "arn:aws:ecs:eu-west-1:111122223333:cluster/default", true),
                Arguments.of("arn:aws:ecs:*:111122223333:cluster/*", "arn:aws:ecs:eu-west-1:444455556666:cluster/default", false),
                Arguments.of("arn:aws:ecs:us-east-1:111122223333:task/prod/*", "arn:aws:ecs:us-east-1:111122223333:task/prod/0123abcd", true),
                Arguments.of("arn:aws:ecs:us-east-1:111122223333:task/prod/*", "arn:aws:ecs:us-east-1:111122223333:task/dev/0123abcd", false),
                Arguments.of("arn:aws:ecs:us-east-1:111122223333:task-definition/web:?", "arn:aws:ecs:us-east-1:111122223333:task-definition/web:7", true),
                Arguments.of("arn:aws:ecs:us-east-1:111122223333:task-definition/web:?", "arn:aws:ecs:us-east-1:111122223333:task-definition/web:17", false),
                // a star that ends a segment may expand over the colons after it
                Arguments.of("arn:aws:ecs:*", "arn:aws:ecs:us-east-1:111122223333:cluster/default", true),
                Arguments.of("arn:aws:logs:us-east-1:111122223333:log-group:/ecs/web:*", "arn:aws:logs:us-east-1:111122223333:log-group:/ecs/web:log-stream:x", true),
                // one inside a segment may not
                Arguments.of("arn:aws:ecs:us-*-1:111122223333:cluster/a", "arn:aws:ecs:us-east-1:111122223333:cluster/a", true),
                Arguments.of("arn:aws:ecs:us*1:111122223333:cluster/a", "arn:aws:ecs:us:east:1:111122223333:cluster/a", false),
                // the resource segment is case-sensitive (IAM user names in ARNs too)
                Arguments.of("arn:aws:iam::111122223333:user/Bob", "arn:aws:iam::111122223333:user/bob", false));
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @MethodSource("resourceWildcards")
    void resourcesMatchWithinArnSegments(String pattern, String resource, boolean matches) {
        List<NamedPolicy> p = List.of(policy("p", "{'Effect':'Allow','Action':'*','Resource':'" + pattern + "'}"));
        assertThat(evaluate(USER, "ecs:DescribeClusters", resource, p).allowed()).isEqualTo(matches);
    }

    @Test
    void policyVariablesResolveFromTheContext() {
        NamedPolicy home = policy("home", "{'Effect':'Allow','Action':'s3:*','Resource':'arn:aws:s3:::team-bucket/${aws:username}/*'}");
        RequestContext carlos = RequestContext.builder().put("aws:username", "carlos").build();
        AuthorizationRequest own = AuthorizationRequest.of(USER, "s3:GetObject", "arn:aws:s3:::team-bucket/carlos/notes.txt", carlos, List.of(home));
        AuthorizationRequest other = AuthorizationRequest.of(USER, "s3:GetObject", "arn:aws:s3:::team-bucket/maria/notes.txt", carlos, List.of(home));
        AuthorizationRequest noKey = AuthorizationRequest.of(USER, "s3:GetObject", "arn:aws:s3:::team-bucket/carlos/notes.txt", RequestContext.empty(), List.of(home));
        assertThat(PolicyEvaluator.evaluate(own).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(PolicyEvaluator.evaluate(other).verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
        assertThat(PolicyEvaluator.evaluate(noKey).verdict()).as("a variable the request lacks matches nothing").isEqualTo(Verdict.IMPLICIT_DENY);

        // a value is literal text: a user named "*" does not get everyone's folder
        RequestContext star = RequestContext.builder().put("aws:username", "*").build();
        assertThat(PolicyEvaluator.evaluate(AuthorizationRequest.of(USER, "s3:GetObject", "arn:aws:s3:::team-bucket/maria/x", star, List.of(home))).verdict())
                .isEqualTo(Verdict.IMPLICIT_DENY);

        // ${*} is a literal star; a default applies when the key is absent
        NamedPolicy literal = new NamedPolicy("lit", PolicyDocument.parse(
                "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::b/${*}/${aws:username, 'guest'}\"}}"));
        assertThat(PolicyEvaluator.evaluate(AuthorizationRequest.of(USER, "s3:GetObject", "arn:aws:s3:::b/*/guest", RequestContext.empty(), List.of(literal))).verdict())
                .isEqualTo(Verdict.ALLOW);
        assertThat(PolicyEvaluator.evaluate(AuthorizationRequest.of(USER, "s3:GetObject", "arn:aws:s3:::b/x/guest", RequestContext.empty(), List.of(literal))).verdict())
                .isEqualTo(Verdict.IMPLICIT_DENY);

        // the principal's account, and the escapes ${?} and ${$}
        NamedPolicy accountScoped = policy("accountScoped", "{'Effect':'Allow','Action':'ecs:*','Resource':'arn:aws:ecs:*:${aws:PrincipalAccount}:cluster/${?}${$}'}");
        RequestContext account = RequestContext.builder().put("aws:PrincipalAccount", "111122223333").build();
        assertThat(PolicyEvaluator.evaluate(AuthorizationRequest.of(USER, "ecs:DeleteCluster", "arn:aws:ecs:us-east-1:111122223333:cluster/?$", account, List.of(accountScoped))).verdict())
                .isEqualTo(Verdict.ALLOW);
        assertThat(PolicyEvaluator.evaluate(AuthorizationRequest.of(USER, "ecs:DeleteCluster", "arn:aws:ecs:us-east-1:111122223333:cluster/a$", account, List.of(accountScoped))).verdict())
                .isEqualTo(Verdict.IMPLICIT_DENY);
        assertThat(PolicyEvaluator.evaluate(AuthorizationRequest.of(USER, "ecs:DeleteCluster", "arn:aws:ecs:us-east-1:444455556666:cluster/?$", account, List.of(accountScoped))).verdict())
                .isEqualTo(Verdict.IMPLICIT_DENY);

        // version 2008-10-17 has no variables: the text is literal
        NamedPolicy old = new NamedPolicy("old", PolicyDocument.parse(
                "{\"Version\":\"2008-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::b/${aws:username}\"}}"));
        assertThat(PolicyEvaluator.evaluate(AuthorizationRequest.of(USER, "s3:GetObject", "arn:aws:s3:::b/${aws:username}", carlos, List.of(old))).verdict())
                .isEqualTo(Verdict.ALLOW);
    }

    @Test
    void aResourcePolicyNamingTheUserAllowsWithoutAnIdentityPolicyOrPastTheBoundary() {
        NamedPolicy bucket = policy("bucket", "{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:user/carlos'},'Action':'s3:PutObject','Resource':'*'}");
        AuthorizationRequest r = AuthorizationRequest.of(USER, "s3:PutObject", "arn:aws:s3:::logs/x", RequestContext.empty(), List.of())
                .withResourcePolicy(bucket)
                .withPermissionsBoundary(allow("boundary", "ecs:*"));
        Decision d = PolicyEvaluator.evaluate(r);
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.statement().orElseThrow().policy()).isEqualTo("bucket");
    }

    @Test
    void aResourcePolicyNamingTheAccountDelegatesToIdentityPolicies() {
        NamedPolicy bucket = policy("bucket", "{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:root'},'Action':'s3:*','Resource':'*'}");
        AuthorizationRequest r = AuthorizationRequest.of(USER, "s3:PutObject", "*", RequestContext.empty(), List.of()).withResourcePolicy(bucket);
        assertThat(PolicyEvaluator.evaluate(r).verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    }

    @Test
    void aGrantToARoleIsLimitedByTheSessionPolicyAGrantToTheSessionIsNot() {
        NamedPolicy toRole = policy("toRole", "{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/app'},'Action':'s3:*','Resource':'*'}");
        NamedPolicy toSession = policy("toSession", "{'Effect':'Allow','Principal':{'AWS':'arn:aws:sts::111122223333:assumed-role/app/task-1'},'Action':'s3:*','Resource':'*'}");
        AuthorizationRequest base = AuthorizationRequest.of(SESSION, "s3:GetObject", "*", RequestContext.empty(), List.of());
        assertThat(PolicyEvaluator.evaluate(base.withResourcePolicy(toRole)).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(PolicyEvaluator.evaluate(base.withResourcePolicy(toRole).withSessionPolicies(List.of(allow("s", "ecs:*")))).verdict())
                .isEqualTo(Verdict.IMPLICIT_DENY);
        assertThat(PolicyEvaluator.evaluate(base.withResourcePolicy(toSession).withSessionPolicies(List.of(allow("s", "ecs:*")))).verdict())
                .isEqualTo(Verdict.ALLOW);
    }

    @Test
    void crossAccountNeedsBothSides() {
        Principal.Aws foreign = Principal.user("444455556666", "arn:aws:iam::444455556666:user/ana");
        NamedPolicy trust = policy("trust", "{'Effect':'Allow','Principal':{'AWS':'444455556666'},'Action':'sts:AssumeRole'}");
        AuthorizationRequest withoutIdentity = AuthorizationRequest.of(foreign, "sts:AssumeRole", "arn:aws:iam::111122223333:role/app", RequestContext.empty(), List.of())
                .withResourceAccount(ACCOUNT).withResourcePolicy(trust);
        assertThat(PolicyEvaluator.evaluate(withoutIdentity).verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
        AuthorizationRequest both = AuthorizationRequest.of(foreign, "sts:AssumeRole", "arn:aws:iam::111122223333:role/app", RequestContext.empty(),
                List.of(allow("assume", "sts:AssumeRole"))).withResourceAccount(ACCOUNT).withResourcePolicy(trust);
        assertThat(PolicyEvaluator.evaluate(both).verdict()).isEqualTo(Verdict.ALLOW);
        AuthorizationRequest noTrust = AuthorizationRequest.of(foreign, "sts:AssumeRole", "arn:aws:iam::111122223333:role/app", RequestContext.empty(),
                List.of(allow("assume", "sts:AssumeRole"))).withResourceAccount(ACCOUNT);
        assertThat(PolicyEvaluator.evaluate(noTrust).verdict()).isEqualTo(Verdict.IMPLICIT_DENY);
    }

    static Stream<Arguments> trustPolicies() {
        String role = "arn:aws:iam::111122223333:role/app";
        return Stream.of(
                Arguments.of("{'Effect':'Allow','Principal':{'Service':'ecs-tasks.amazonaws.com'},'Action':'sts:AssumeRole'}", Principal.service("ecs-tasks.amazonaws.com"), Verdict.ALLOW),
                Arguments.of("{'Effect':'Allow','Principal':{'Service':['ec2.amazonaws.com']},'Action':'sts:AssumeRole'}", Principal.service("ecs-tasks.amazonaws.com"), Verdict.IMPLICIT_DENY),
                Arguments.of("{'Effect':'Allow','Principal':'*','Action':'sts:AssumeRole'}", USER, Verdict.ALLOW),
                Arguments.of("{'Effect':'Allow','Principal':{'AWS':'*'},'Action':'sts:AssumeRole'}", USER, Verdict.ALLOW),
                Arguments.of("{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:user/carlos'},'Action':'sts:AssumeRole'}", USER, Verdict.ALLOW),
                Arguments.of("{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:user/maria'},'Action':'sts:AssumeRole'}", USER, Verdict.IMPLICIT_DENY),
                // naming the account: the caller's own policies must allow sts:AssumeRole (here they don't)
                Arguments.of("{'Effect':'Allow','Principal':{'AWS':'111122223333'},'Action':'sts:AssumeRole'}", USER, Verdict.IMPLICIT_DENY),
                Arguments.of("{'Effect':'Allow','NotPrincipal':{'AWS':'arn:aws:iam::111122223333:user/maria'},'Action':'sts:AssumeRole'}", USER, Verdict.ALLOW),
                Arguments.of("{'Effect':'Allow','Principal':'*','Action':'sts:AssumeRole','Condition':{'StringEquals':{'aws:PrincipalAccount':'999999999999'}}}", USER, Verdict.IMPLICIT_DENY),
                Arguments.of("[{'Effect':'Allow','Principal':'*','Action':'sts:AssumeRole'},{'Effect':'Deny','Principal':{'AWS':'arn:aws:iam::111122223333:user/carlos'},'Action':'sts:*'}]", USER, Verdict.EXPLICIT_DENY));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("trustPolicies")
    void trustPoliciesDecideAssumeRole(String statements, Principal caller, Verdict verdict) {
        NamedPolicy trust = new NamedPolicy("trust", PolicyDocument.parse(
                ("{'Version':'2012-10-17','Statement':" + statements + "}").replace('\'', '"'), PolicyKind.TRUST));
        RequestContext context = RequestContext.builder().put("aws:PrincipalAccount", ACCOUNT).build();
        AuthorizationRequest r = new AuthorizationRequest(caller, "sts:AssumeRole", "arn:aws:iam::111122223333:role/app", ACCOUNT, context,
                List.of(), List.of(), java.util.Optional.empty(), java.util.Optional.of(trust));
        assertThat(PolicyEvaluator.evaluate(r).verdict()).isEqualTo(verdict);
    }

    @Test
    void manyPoliciesAndStatementsAreSearchedInOrder() {
        List<NamedPolicy> many = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            many.add(allow("p" + i, "svc" + i + ":*"));
        }
        Decision d = evaluate(USER, "svc7:Do", "*", many);
        assertThat(d.statement().orElseThrow().policy()).isEqualTo("p7");
    }
}
