package dev.stevedore.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each row: a Condition block, a request context, whether an Allow statement with that block
 * applies. Facts from IAM's condition operator reference and its pages on multivalued keys.
 */
class ConditionOperatorsTest {
    private static final Principal USER = Principal.user("111122223333", "arn:aws:iam::111122223333:user/carlos");

    /** A context written {@code key=v1|v2;key2=v}; {@code key=} is the empty set. */
    private static RequestContext context(String spec) {
        RequestContext.Builder b = RequestContext.builder();
        if (spec.isEmpty()) {
            return b.build();
        }
        for (String entry : spec.split(";")) {
            int eq = entry.indexOf('=');
            String values = entry.substring(eq + 1);
            b.putAll(entry.substring(0, eq), values.isEmpty() ? List.of() : List.of(values.split("\\|")));
        }
        return b.build();
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                // String
                Arguments.of("{'StringEquals':{'aws:username':'carlos'}}", "aws:username=carlos", true),
                Arguments.of("{'StringEquals':{'aws:username':'carlos'}}", "aws:username=Carlos", false),
                Arguments.of("{'StringEquals':{'AWS:UserName':['maria','carlos']}}", "aws:username=carlos", true),
                Arguments.of("{'StringEquals':{'aws:username':'carlos'}}", "", false),
                Arguments.of("{'StringNotEquals':{'aws:username':'carlos'}}", "aws:username=maria", true),
                Arguments.of("{'StringNotEquals':{'aws:username':['maria','carlos']}}", "aws:username=maria", false),
                Arguments.of("{'StringNotEquals':{'aws:username':'carlos'}}", "", true),
                Arguments.of("{'StringEqualsIgnoreCase':{'aws:username':'CARLOS'}}", "aws:username=carlos", true),
                Arguments.of("{'StringNotEqualsIgnoreCase':{'aws:username':'CARLOS'}}", "aws:username=carlos", false),
                Arguments.of("{'StringLike':{'iam:PassedToService':'ecs-*.amazonaws.com'}}", "iam:PassedToService=ecs-tasks.amazonaws.com", true),
                Arguments.of("{'StringLike':{'s3:prefix':'home/?'}}", "s3:prefix=home/ab", false),
                Arguments.of("{'StringNotLike':{'s3:prefix':'home/*'}}", "s3:prefix=tmp/x", true),
                Arguments.of("{'StringNotLike':{'s3:prefix':'home/*'}}", "", true),
                Arguments.of("{'StringEquals':{'iam:PassedToService':'ecs-tasks.amazonaws.com'}}", "iam:PassedToService=ecs-tasks.amazonaws.com", true),
                Arguments.of("{'StringEquals':{'aws:PrincipalArn':'arn:aws:iam::111122223333:role/${aws:username}'}}", "aws:username=app;aws:PrincipalArn=arn:aws:iam::111122223333:role/app", true),
                // Numeric
                Arguments.of("{'NumericLessThanEquals':{'s3:max-keys':'10'}}", "s3:max-keys=10", true),
                Arguments.of("{'NumericLessThan':{'s3:max-keys':10}}", "s3:max-keys=10", false),
                Arguments.of("{'NumericGreaterThan':{'aws:MultiFactorAuthAge':'3600'}}", "aws:MultiFactorAuthAge=3600.5", true),
                Arguments.of("{'NumericEquals':{'n:v':'1.0'}}", "n:v=1", true),
                Arguments.of("{'NumericNotEquals':{'n:v':'1'}}", "n:v=2", true),
                Arguments.of("{'NumericLessThan':{'n:v':'5'}}", "n:v=five", false),
                Arguments.of("{'NumericLessThan':{'n:v':'5'}}", "", false),
                // Date, with ISO 8601 and epoch seconds on either side
                Arguments.of("{'DateGreaterThan':{'aws:CurrentTime':'2020-04-01T00:00:00Z'},'DateLessThan':{'aws:CurrentTime':'2020-06-30T23:59:59Z'}}", "aws:CurrentTime=2020-05-15T12:00:00Z", true),
                Arguments.of("{'DateGreaterThan':{'aws:CurrentTime':'2020-04-01T00:00:00Z'},'DateLessThan':{'aws:CurrentTime':'2020-06-30T23:59:59Z'}}", "aws:CurrentTime=2020-07-01T00:00:00Z", false),
                Arguments.of("{'DateLessThan':{'aws:EpochTime':'2020-01-01'}}", "aws:EpochTime=1577836799", true),
                Arguments.of("{'DateGreaterThanEquals':{'aws:TokenIssueTime':'1577836800'}}", "aws:TokenIssueTime=2020-01-01T00:00:00Z", true),
                Arguments.of("{'DateEquals':{'aws:CurrentTime':'2020-01-01T01:00:00+01:00'}}", "aws:CurrentTime=2020-01-01T00:00:00Z", true),
                Arguments.of("{'DateNotEquals':{'aws:CurrentTime':'2020-01-01'}}", "", true),
                // Bool
                Arguments.of("{'Bool':{'aws:SecureTransport':'true'}}", "aws:SecureTransport=true", true),
                Arguments.of("{'Bool':{'aws:SecureTransport':false}}", "aws:SecureTransport=true", false),
                Arguments.of("{'Bool':{'aws:MultiFactorAuthPresent':'true'}}", "", false),
                // the guide's MFA pattern: BoolIfExists false catches long-term keys (key absent) and MFA-less sessions
                Arguments.of("{'BoolIfExists':{'aws:MultiFactorAuthPresent':'false'}}", "", true),
                Arguments.of("{'BoolIfExists':{'aws:MultiFactorAuthPresent':'false'}}", "aws:MultiFactorAuthPresent=false", true),
                Arguments.of("{'BoolIfExists':{'aws:MultiFactorAuthPresent':'false'}}", "aws:MultiFactorAuthPresent=true", false),
                // IpAddress / NotIpAddress, IPv4 and IPv6
                Arguments.of("{'IpAddress':{'aws:SourceIp':['192.0.2.0/24','203.0.113.0/24']}}", "aws:SourceIp=203.0.113.77", true),
                Arguments.of("{'IpAddress':{'aws:SourceIp':['192.0.2.0/24','203.0.113.0/24']}}", "aws:SourceIp=198.51.100.1", false),
                Arguments.of("{'IpAddress':{'aws:SourceIp':'10.1.2.3'}}", "aws:SourceIp=10.1.2.3", true),
                Arguments.of("{'IpAddress':{'aws:SourceIp':'10.0.0.0/12'}}", "aws:SourceIp=10.15.255.255", true),
                Arguments.of("{'IpAddress':{'aws:SourceIp':'10.0.0.0/12'}}", "aws:SourceIp=10.16.0.0", false),
                Arguments.of("{'IpAddress':{'aws:SourceIp':'2001:DB8:1234:5678::/64'}}", "aws:SourceIp=2001:db8:1234:5678:abcd::1", true),
                Arguments.of("{'IpAddress':{'aws:SourceIp':'2001:DB8:1234:5678::/64'}}", "aws:SourceIp=2001:db8:1234:5679::1", false),
                Arguments.of("{'IpAddress':{'aws:SourceIp':'2001:DB8::/32'}}", "aws:SourceIp=192.0.2.1", false),
                Arguments.of("{'NotIpAddress':{'aws:SourceIp':'192.0.2.0/24'}}", "aws:SourceIp=198.51.100.1", true),
                Arguments.of("{'NotIpAddress':{'aws:SourceIp':'192.0.2.0/24'}}", "aws:SourceIp=192.0.2.9", false),
                Arguments.of("{'IpAddress':{'aws:SourceIp':'192.0.2.0/24'}}", "aws:SourceIp=localhost", false),
                Arguments.of("{'IpAddress':{'aws:SourceIp':'192.0.2.0/24'}}", "aws:SourceIp=::ffff:192.0.2.44", true),
                Arguments.of("{'IpAddress':{'aws:SourceIp':'192.0.2.0/33'}}", "aws:SourceIp=192.0.2.1", false),
                // Arn operators compare the six parts one by one
                Arguments.of("{'ArnEquals':{'ecs:cluster':'arn:aws:ecs:us-east-1:111122223333:cluster/default'}}", "ecs:cluster=arn:aws:ecs:us-east-1:111122223333:cluster/default", true),
                Arguments.of("{'ArnLike':{'ecs:cluster':'arn:aws:ecs:*:111122223333:cluster/*'}}", "ecs:cluster=arn:aws:ecs:eu-west-1:111122223333:cluster/prod", true),
                Arguments.of("{'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::*:role/ops-*'}}", "aws:PrincipalArn=arn:aws:iam::444455556666:role/ops-admin", true),
                Arguments.of("{'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::*'}}", "aws:PrincipalArn=arn:aws:iam::444455556666:role/ops-admin", false),
                Arguments.of("{'ArnLike':{'aws:SourceArn':'arn:aws:*:*:*:*'}}", "aws:SourceArn=not-an-arn", false),
                Arguments.of("{'ArnNotLike':{'aws:PrincipalArn':'arn:aws:iam::*:role/ops-*'}}", "aws:PrincipalArn=arn:aws:iam::111122223333:user/carlos", true),
                Arguments.of("{'ArnNotEquals':{'aws:PrincipalArn':'arn:aws:iam::111122223333:user/carlos'}}", "", true),
                // Null
                Arguments.of("{'Null':{'aws:TokenIssueTime':'true'}}", "", true),
                Arguments.of("{'Null':{'aws:TokenIssueTime':'true'}}", "aws:TokenIssueTime=2020-01-01T00:00:00Z", false),
                Arguments.of("{'Null':{'aws:TokenIssueTime':false}}", "aws:TokenIssueTime=2020-01-01T00:00:00Z", true),
                // IfExists
                Arguments.of("{'StringEqualsIfExists':{'ecs:cluster':'x'}}", "", true),
                Arguments.of("{'StringEqualsIfExists':{'ecs:cluster':'x'}}", "ecs:cluster=y", false),
                Arguments.of("{'ArnLikeIfExists':{'ecs:cluster':'arn:aws:ecs:*:*:cluster/dev'}}", "ecs:cluster=arn:aws:ecs:us-east-1:111122223333:cluster/dev", true),
                // set operators on multivalued keys
                Arguments.of("{'ForAllValues:StringEquals':{'aws:TagKeys':['env','team']}}", "aws:TagKeys=env|team", true),
                Arguments.of("{'ForAllValues:StringEquals':{'aws:TagKeys':['env','team']}}", "aws:TagKeys=env|owner", false),
                Arguments.of("{'ForAllValues:StringEquals':{'aws:TagKeys':['env','team']}}", "", true),
                Arguments.of("{'ForAllValues:StringEquals':{'aws:TagKeys':['env','team']}}", "aws:TagKeys=", true),
                Arguments.of("{'ForAnyValue:StringEquals':{'aws:TagKeys':['env','team']}}", "aws:TagKeys=owner|team", true),
                Arguments.of("{'ForAnyValue:StringEquals':{'aws:TagKeys':['env','team']}}", "aws:TagKeys=owner", false),
                Arguments.of("{'ForAnyValue:StringEquals':{'aws:TagKeys':['env','team']}}", "", false),
                Arguments.of("{'ForAnyValue:StringEquals':{'aws:TagKeys':['env','team']}}", "aws:TagKeys=", false),
                Arguments.of("{'ForAnyValue:StringEqualsIfExists':{'aws:TagKeys':'env'}}", "", true),
                Arguments.of("{'ForAllValues:StringNotEquals':{'aws:TagKeys':['secret']}}", "aws:TagKeys=env|team", true),
                Arguments.of("{'ForAllValues:StringNotEquals':{'aws:TagKeys':['secret']}}", "aws:TagKeys=env|secret", false),
                Arguments.of("{'ForAnyValue:StringNotEquals':{'aws:TagKeys':['secret']}}", "aws:TagKeys=secret|env", true),
                Arguments.of("{'ForAnyValue:StringLike':{'aws:TagKeys':['env*']}}", "aws:TagKeys=owner|environment", true),
                // several keys in a block and several blocks: all must hold
                Arguments.of("{'StringEquals':{'aws:username':'carlos','aws:PrincipalAccount':'111122223333'},'Bool':{'aws:SecureTransport':'true'}}",
                        "aws:username=carlos;aws:PrincipalAccount=111122223333;aws:SecureTransport=true", true),
                Arguments.of("{'StringEquals':{'aws:username':'carlos','aws:PrincipalAccount':'111122223333'},'Bool':{'aws:SecureTransport':'true'}}",
                        "aws:username=carlos;aws:PrincipalAccount=111122223333;aws:SecureTransport=false", false),
                Arguments.of("{'StringEquals':{'aws:userid':'AIDAEXAMPLE'}}", "aws:userid=AIDAEXAMPLE", true));
    }

    @ParameterizedTest(name = "[{index}] {0} with [{1}] -> {2}")
    @MethodSource("rows")
    void conditionBlockApplies(String block, String contextSpec, boolean applies) {
        PolicyDocument doc = PolicyDocument.parse(
                ("{'Version':'2012-10-17','Statement':{'Effect':'Allow','Action':'ecs:RunTask','Resource':'*','Condition':" + block + "}}")
                        .replace('\'', '"'),
                PolicyKind.IDENTITY);
        Decision d = PolicyEvaluator.evaluate(AuthorizationRequest.of(USER, "ecs:RunTask", "*", context(contextSpec), List.of(new NamedPolicy("p", doc))));
        assertThat(d.allowed()).isEqualTo(applies);
    }
}
