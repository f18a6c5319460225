package dev.stevedore.control.iam;

import dev.stevedore.awsproto.CredentialsLookup;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.awsproto.ServiceSpec;
import dev.stevedore.control.iam.accesskey.AccessKeyOperations;
import dev.stevedore.control.iam.accesskey.IamCredentials;
import dev.stevedore.control.iam.inline.InlinePolicyOperations;
import dev.stevedore.control.iam.instanceprofile.InstanceProfileOperations;
import dev.stevedore.control.iam.policy.AttachmentOperations;
import dev.stevedore.control.iam.policy.ManagedPolicyOperations;
import dev.stevedore.control.iam.role.RoleOperations;
import dev.stevedore.control.iam.tags.TagOperations;
import dev.stevedore.control.iam.user.UserOperations;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The IAM API: every operation of the committed IAM spec, each answered by its handler, in the
 * caller's account (IAM is global: no Region in its keys or ARNs). Before any handler runs, the
 * account is given its AWS managed policies and default roles ({@link AccountDefaults}).
 *
 * <p>Besides the operations it offers the two lookups the rest of the server builds on: the access
 * keys of IAM users for the signature verifier ({@link #credentials()}), and the policies of a user
 * or role for the authorizer ({@link #identityPolicies()}).
 */
public final class IamApi {
    /** The name of the committed shape spec this API speaks. */
    public static final String SPEC_NAME = "iam-2010-05-08";

    private final ServiceSpec spec;
    private final Map<String, JsonOperation> operations;
    private final IamCredentials credentials;
    private final IdentityPolicies identityPolicies;

    /**
     * @param sealer seals secret access keys before they are stored (the server holds its key)
     */
    public IamApi(StateStore store, Clock clock, SecretSealer sealer) {
        this.spec = ServiceSpec.load(SPEC_NAME);
        this.credentials = new IamCredentials(store, sealer);
        this.identityPolicies = new IdentityPolicies(store, clock);
        Map<String, JsonOperation> ops = new TreeMap<>();
        ops.putAll(new UserOperations(store, clock, credentials).operations());
        ops.putAll(new AccessKeyOperations(store, clock, sealer, credentials).operations());
        ops.putAll(new RoleOperations(store, clock).operations());
        ops.putAll(new InlinePolicyOperations(store).operations());
        ops.putAll(new ManagedPolicyOperations(store, clock).operations());
        ops.putAll(new AttachmentOperations(store).operations());
        ops.putAll(new InstanceProfileOperations(store, clock).operations());
        ops.putAll(new TagOperations(store).operations());
        for (String name : ops.keySet()) {
            if (spec.operation(name).isEmpty()) {
                throw new IllegalStateException(name + " is not an operation of " + SPEC_NAME);
            }
        }
        for (String name : spec.operationNames()) {
            if (!ops.containsKey(name)) {
                throw new IllegalStateException(SPEC_NAME + " has " + name + ", which has no handler");
            }
        }
        Map<String, JsonOperation> withDefaults = new TreeMap<>();
        ops.forEach((name, op) -> withDefaults.put(name, (ctx, input) -> {
            AccountDefaults.ensure(store, IamCall.account(ctx), clock);
            return op.handle(ctx, input);
        }));
        this.operations = Collections.unmodifiableMap(withDefaults);
    }

    public ServiceSpec spec() {
        return spec;
    }

    /** A handler for every operation of the spec. */
    public Map<String, JsonOperation> operations() {
        return operations;
    }

    /** Active access keys of existing IAM users, for the SigV4 verifier (chain it after the root keys). */
    public CredentialsLookup credentials() {
        return credentials;
    }

    /** The policies of a user or role, for the authorizer. */
    public IdentityPolicies identityPolicies() {
        return identityPolicies;
    }
}
