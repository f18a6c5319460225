package dev.stevedore.control.iam.policy;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.iam.IamArns;
import dev.stevedore.control.iam.IamCall;
import dev.stevedore.control.iam.IamErrors;
import dev.stevedore.control.iam.IamKeys;
import dev.stevedore.control.iam.PolicyText;
import dev.stevedore.control.iam.query.Listing;
import dev.stevedore.control.iam.tags.Tags;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.iam.CreatePolicyRequest;
import dev.stevedore.model.iam.CreatePolicyResponse;
import dev.stevedore.model.iam.CreatePolicyVersionRequest;
import dev.stevedore.model.iam.CreatePolicyVersionResponse;
import dev.stevedore.model.iam.DeletePolicyRequest;
import dev.stevedore.model.iam.DeletePolicyVersionRequest;
import dev.stevedore.model.iam.GetPolicyRequest;
import dev.stevedore.model.iam.GetPolicyResponse;
import dev.stevedore.model.iam.GetPolicyVersionRequest;
import dev.stevedore.model.iam.GetPolicyVersionResponse;
import dev.stevedore.model.iam.ListPoliciesRequest;
import dev.stevedore.model.iam.ListPoliciesResponse;
import dev.stevedore.model.iam.ListPolicyVersionsRequest;
import dev.stevedore.model.iam.ListPolicyVersionsResponse;
import dev.stevedore.model.iam.Policy;
import dev.stevedore.model.iam.PolicyUsageType;
import dev.stevedore.model.iam.PolicyVersion;
import dev.stevedore.model.iam.SetDefaultPolicyVersionRequest;
import dev.stevedore.model.iam.policyScopeType;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Customer managed policies and their versions; AWS managed policies can be read, listed and attached, not changed. */
public final class ManagedPolicyOperations {
    /** Versions one managed policy may have. */
    public static final int VERSION_LIMIT = 5;

    private final StateStore store;
    private final Clock clock;

    public ManagedPolicyOperations(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "CreatePolicy", Operations.typed(CreatePolicyRequest.class, this::create),
                "GetPolicy", Operations.typed(GetPolicyRequest.class, this::get),
                "ListPolicies", Operations.typed(ListPoliciesRequest.class, this::list),
                "DeletePolicy", Operations.typed(DeletePolicyRequest.class, this::delete),
                "CreatePolicyVersion", Operations.typed(CreatePolicyVersionRequest.class, this::createVersion),
                "GetPolicyVersion", Operations.typed(GetPolicyVersionRequest.class, this::getVersion),
                "ListPolicyVersions", Operations.typed(ListPolicyVersionsRequest.class, this::listVersions),
                "DeletePolicyVersion", Operations.typed(DeletePolicyVersionRequest.class, this::deleteVersion),
                "SetDefaultPolicyVersion", Operations.typed(SetDefaultPolicyVersionRequest.class, this::setDefault));
    }

    CreatePolicyResponse create(CallContext ctx, CreatePolicyRequest request) {
        String account = IamCall.account(ctx);
        String name = request.policyName();
        String path = Optional.ofNullable(request.path()).orElse("/");
        PolicyText.checkManaged(request.policyDocument());
        Tags.check(request.tags(), "TagsPerPolicy");
        PolicyRecord policy = ManagedPolicies.newPolicy(IamArns.of(account, "policy", path, name), name, path,
                request.description(), request.policyDocument(), request.tags(), clock.instant());
        return StoreTx.run(store, tx -> {
            if (tx.read(IamKeys.policy(account, name), PolicyRecord.class).isPresent()) {
                throw IamErrors.alreadyExists("A policy called " + name + " already exists. Duplicate names are not allowed.");
            }
            tx.put(IamKeys.policy(account, name), policy);
            return new CreatePolicyResponse(policy.answered());
        });
    }

    GetPolicyResponse get(CallContext ctx, GetPolicyRequest request) {
        String arn = checkedArn(request.policyArn());
        return new GetPolicyResponse(ManagedPolicies.find(store, IamCall.account(ctx), arn)
                .orElseThrow(() -> IamErrors.noSuchPolicy(arn)).answered());
    }

    ListPoliciesResponse list(CallContext ctx, ListPoliciesRequest request) {
        String account = IamCall.account(ctx);
        String scope = Optional.ofNullable(request.scope()).orElse(policyScopeType.ALL);
        Stream<PolicyRecord> all = Stream.empty();
        if (!scope.equals(policyScopeType.LOCAL)) {
            all = Stream.concat(all, stored(IamKeys.awsPolicies(account)));
        }
        if (!scope.equals(policyScopeType.AWS)) {
            all = Stream.concat(all, stored(IamKeys.policies(account)));
        }
        String usage = request.policyUsageFilter();
        boolean onlyAttached = Boolean.TRUE.equals(request.onlyAttached());
        List<PolicyRecord> matching = all
                .filter(p -> !onlyAttached || !p.attachedTo().isEmpty() || !p.boundaryOf().isEmpty())
                // Every managed policy here can serve either way; the filter leaves out those used only the other way.
                .filter(p -> usage == null || !onlyAttached
                        || (usage.equals(PolicyUsageType.PERMISSIONS_POLICY) ? !p.attachedTo().isEmpty() : !p.boundaryOf().isEmpty()))
                .sorted(Comparator.comparing(ManagedPolicyOperations::sortKey))
                .toList();
        List<PolicyRecord> underPath = Listing.underPath(matching, p -> p.policy().path(), request.pathPrefix());
        Listing.Page<PolicyRecord> page = Listing.page(underPath, ManagedPolicyOperations::sortKey, request.marker(), request.maxItems());
        List<Policy> policies = page.items().stream().map(PolicyRecord::listed).toList();
        return new ListPoliciesResponse(page.isTruncated(), page.markerOrNull(), policies);
    }

    Object delete(CallContext ctx, DeletePolicyRequest request) {
        String account = IamCall.account(ctx);
        String arn = changeable(ctx, request.policyArn());
        StoreTx.run(store, tx -> {
            PolicyRecord policy = ManagedPolicies.find(tx, account, arn).orElseThrow(() -> IamErrors.noSuchPolicy(arn));
            if (!policy.attachedTo().isEmpty() || !policy.boundaryOf().isEmpty()) {
                throw IamErrors.deleteConflict("Cannot delete a policy attached to entities.");
            }
            if (policy.versions().size() > 1) {
                throw IamErrors.deleteConflict("This policy has more than one version. Before you delete a policy, "
                        + "you must delete the policy's versions. The default version is deleted with the policy.");
            }
            tx.delete(ManagedPolicies.key(account, arn).orElseThrow());
            return null;
        });
        return null;
    }

    CreatePolicyVersionResponse createVersion(CallContext ctx, CreatePolicyVersionRequest request) {
        String account = IamCall.account(ctx);
        String arn = changeable(ctx, request.policyArn());
        PolicyText.checkManaged(request.policyDocument());
        return StoreTx.run(store, tx -> {
            PolicyRecord policy = ManagedPolicies.find(tx, account, arn).orElseThrow(() -> IamErrors.noSuchPolicy(arn));
            if (policy.versions().size() >= VERSION_LIMIT) {
                throw IamErrors.limitExceeded("A managed policy can have up to " + VERSION_LIMIT
                        + " versions. Before you create a new version, you must delete an existing version.");
            }
            PolicyVersion version = new PolicyVersion(clock.instant(), request.policyDocument(),
                    Boolean.TRUE.equals(request.setAsDefault()), "v" + (policy.lastVersion() + 1));
            ManagedPolicies.put(tx, account, policy.withVersion(version, clock.instant()));
            return new CreatePolicyVersionResponse(version.toBuilder().document(null).build());
        });
    }

    GetPolicyVersionResponse getVersion(CallContext ctx, GetPolicyVersionRequest request) {
        String arn = checkedArn(request.policyArn());
        PolicyRecord policy = ManagedPolicies.find(store, IamCall.account(ctx), arn).orElseThrow(() -> IamErrors.noSuchPolicy(arn));
        PolicyVersion version = policy.version(request.versionId())
                .orElseThrow(() -> IamErrors.noSuchVersion(arn, request.versionId()));
        return new GetPolicyVersionResponse(version.toBuilder().document(PolicyText.encoded(version.document())).build());
    }

    ListPolicyVersionsResponse listVersions(CallContext ctx, ListPolicyVersionsRequest request) {
        String arn = checkedArn(request.policyArn());
        PolicyRecord policy = ManagedPolicies.find(store, IamCall.account(ctx), arn).orElseThrow(() -> IamErrors.noSuchPolicy(arn));
        // Newest first, as IAM lists them; documents only with GetPolicyVersion.
        List<PolicyVersion> newestFirst = new ArrayList<>(policy.versions().stream().map(v -> v.toBuilder().document(null).build()).toList());
        Collections.reverse(newestFirst);
        Listing.Page<PolicyVersion> page = Listing.page(newestFirst, ManagedPolicyOperations::newestFirstKey, request.marker(), request.maxItems());
        return new ListPolicyVersionsResponse(page.isTruncated(), page.markerOrNull(), page.items());
    }

    Object deleteVersion(CallContext ctx, DeletePolicyVersionRequest request) {
        String account = IamCall.account(ctx);
        String arn = changeable(ctx, request.policyArn());
        StoreTx.run(store, tx -> {
            PolicyRecord policy = ManagedPolicies.find(tx, account, arn).orElseThrow(() -> IamErrors.noSuchPolicy(arn));
            PolicyVersion version = policy.version(request.versionId())
                    .orElseThrow(() -> IamErrors.noSuchVersion(arn, request.versionId()));
            if (Boolean.TRUE.equals(version.isDefaultVersion())) {
                throw IamErrors.deleteConflict("Cannot delete the default version of a policy.");
            }
            ManagedPolicies.put(tx, account, policy.withoutVersion(request.versionId()));
            return null;
        });
        return null;
    }

    Object setDefault(CallContext ctx, SetDefaultPolicyVersionRequest request) {
        String account = IamCall.account(ctx);
        String arn = changeable(ctx, request.policyArn());
        StoreTx.run(store, tx -> {
            PolicyRecord policy = ManagedPolicies.find(tx, account, arn).orElseThrow(() -> IamErrors.noSuchPolicy(arn));
            policy.version(request.versionId()).orElseThrow(() -> IamErrors.noSuchVersion(arn, request.versionId()));
            ManagedPolicies.put(tx, account, policy.withDefault(request.versionId(), clock.instant()));
            return null;
        });
        return null;
    }

    /** An ARN IAM would take as a policy's: anything else is InvalidInput. */
    static String checkedArn(String arn) {
        if (IamArns.parse(arn).filter(a -> a.kind().equals("policy")).isEmpty()) {
            throw IamErrors.invalidInput("ARN " + arn + " is not valid.");
        }
        return arn;
    }

    /**
     * The policy ARN of a call that changes the policy. AWS managed policies belong to AWS's account,
     * so changing one is refused as a call on another account's resource is.
     */
    private static String changeable(CallContext ctx, String arn) {
        checkedArn(arn);
        if (IamArns.parse(arn).orElseThrow().account().equals(IamArns.AWS)) {
            throw new AwsException("AccessDenied", 403, "User: " + ctx.principal().arn() + " is not authorized to perform: iam:"
                    + ctx.operation() + " on resource: policy " + arn);
        }
        return arn;
    }

    private Stream<PolicyRecord> stored(String prefix) {
        return store.range(prefix).stream().map(kv -> Records.decode(kv.value(), PolicyRecord.class));
    }

    private static String sortKey(PolicyRecord p) {
        return p.arn().toLowerCase(Locale.ROOT);
    }

    private static String newestFirstKey(PolicyVersion v) {
        return String.format(Locale.ROOT, "%010d", Integer.MAX_VALUE - Integer.parseInt(v.versionId().substring(1)));
    }
}
