package dev.stevedore.bench.identity;

import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.awsproto.PrincipalSession;
import dev.stevedore.control.access.PolicyAuthorizer;
import dev.stevedore.control.access.PolicySource;
import dev.stevedore.policy.NamedPolicy;
import dev.stevedore.policy.PolicyDocument;
import dev.stevedore.policy.PolicyKind;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of authorizing one ECS read ({@code ecs:ListClusters} on {@code *}) for a caller other than
 * the root: {@link PolicyAuthorizer#decide} with the principal's policies already cached (the steady
 * state: IAM's version does not move between calls). The policy set is the API benchmark's: a managed
 * policy allowing {@code ecs:List*} and {@code ecs:Describe*}, an inline policy denying ECS deletes.
 * The {@code role-session-policy} case adds an inline session policy carried in the token.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PolicyAuthorizerBenchmark {
    private static final String ACCOUNT = "123456789012";
    private static final String USER = "arn:aws:iam::" + ACCOUNT + ":user/bench-reader";
    private static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/bench-reader-role";
    private static final String READS = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"EcsReads\","
            + "\"Effect\":\"Allow\",\"Action\":[\"ecs:List*\",\"ecs:Describe*\"],\"Resource\":\"*\"}]}";
    private static final String NO_DELETES = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"NoDeletes\","
            + "\"Effect\":\"Deny\",\"Action\":[\"ecs:Delete*\",\"ecs:Deregister*\"],\"Resource\":\"*\"}]}";
    private static final String SESSION_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"ecs:*\",\"Resource\":\"*\"}]}";

    @Param({"iam-user", "role-session", "role-session-policy"})
    public String caller;

    private PolicyAuthorizer authorizer;
    private CallContext ctx;
    private final AccessRequest request = AccessRequest.anyResource("ecs:ListClusters");

    @Setup
    public void setUp() {
        List<NamedPolicy> policies = List.of(
                new NamedPolicy("bench-ecs-reads", PolicyDocument.parse(READS, PolicyKind.SESSION)),
                new NamedPolicy("no-deletes", PolicyDocument.parse(NO_DELETES, PolicyKind.SESSION)));
        PolicySource source = new PolicySource() {
            @Override
            public PrincipalPolicies of(String accountId, String identityArn) {
                return new PrincipalPolicies(policies, Optional.empty());
            }

            @Override
            public Optional<NamedPolicy> managedPolicy(String accountId, String policyArn) {
                return Optional.empty();
            }

            @Override
            public long version() {
                return 1;
            }
        };
        authorizer = new PolicyAuthorizer(source, Clock.systemUTC());
        Principal principal = switch (caller) {
            case "iam-user" -> new Principal(ACCOUNT, "AKIAEXAMPLEUSER00001", USER);
            case "role-session", "role-session-policy" -> new Principal(ACCOUNT, "ASIAEXAMPLESESSION01",
                    "arn:aws:sts::" + ACCOUNT + ":assumed-role/bench-reader-role/bench",
                    Optional.of(new PrincipalSession(ROLE, "AROAEXAMPLEROLE000001:bench", Instant.now(),
                            caller.equals("role-session") ? Optional.empty() : Optional.of(SESSION_POLICY),
                            List.of())));
            default -> throw new IllegalArgumentException(caller);
        };
        ctx = new CallContext("bench", principal, "ListClusters", "us-east-1", Optional.of("127.0.0.1"));
        if (!authorizer.decide(ctx, request).allowed()) {
            throw new IllegalStateException("the benchmark's policies must allow the read");
        }
    }

    @Benchmark
    public Object decide() {
        return authorizer.decide(ctx, request);
    }
}
