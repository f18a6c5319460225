package dev.stevedore.control.ssm;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ssm.DeleteParameterRequest;
import dev.stevedore.model.ssm.DeleteParametersRequest;
import dev.stevedore.model.ssm.DeleteParametersResult;
import dev.stevedore.model.ssm.PutParameterRequest;
import dev.stevedore.model.ssm.PutParameterResult;
import dev.stevedore.model.ssm.Tag;
import dev.stevedore.store.StateStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** PutParameter, DeleteParameter and DeleteParameters: each one transaction, all checks made before it writes. */
final class ParameterWrites {
    static final String STANDARD = "Standard";
    private static final String TEXT = "text";
    private static final int STANDARD_MAX_VALUE = 4096;

    private final StateStore store;
    private final Clock clock;
    private final SecureValues secure;

    ParameterWrites(StateStore store, Clock clock, SecureValues secure) {
        this.store = store;
        this.clock = clock;
        this.secure = secure;
    }

    Map<String, JsonOperation> operations() {
        return Map.of(
                "PutParameter", Operations.typed(PutParameterRequest.class, this::put),
                "DeleteParameter", Operations.typed(DeleteParameterRequest.class, this::delete),
                "DeleteParameters", Operations.typed(DeleteParametersRequest.class, this::deleteAll));
    }

    PutParameterResult put(CallContext ctx, PutParameterRequest r) {
        SsmScope scope = SsmScope.of(ctx);
        ParameterName name = ParameterName.forWrite(r.name());
        boolean overwrite = Boolean.TRUE.equals(r.overwrite());
        List<Tag> tags = r.tags() == null ? List.of() : r.tags();
        if (overwrite && !tags.isEmpty()) {
            throw SsmErrors.validation("Invalid request: tags and overwrite can't be used together. To create a "
                    + "parameter with tags, please remove overwrite flag. To update tags for an existing parameter, "
                    + "please use AddTagsToResource or RemoveTagsFromResource.");
        }
        ParameterTags.checkCount(tags);
        if (r.value().isEmpty()) {
            throw SsmErrors.validation("1 validation error detected: Value at 'value' failed to satisfy constraint: "
                    + "Member must have length greater than or equal to 1.");
        }
        if (r.value().length() > STANDARD_MAX_VALUE) {
            throw SsmErrors.validation("Standard tier parameters support a maximum parameter value of 4096 characters. "
                    + "To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.");
        }
        // Intelligent-Tiering picks Standard for any parameter Standard can hold, which is every one here.
        if ("Advanced".equals(r.tier())) {
            throw SsmErrors.validation("Stevedore serves the Standard parameter tier only.");
        }
        if (r.policies() != null) {
            throw SsmErrors.incompatiblePolicy();
        }
        if (r.keyId() != null && !ParameterViews.DEFAULT_KEY_ID.equals(r.keyId())) {
            throw SsmErrors.invalidKeyId();
        }
        if (r.dataType() != null && !TEXT.equals(r.dataType())) {
            throw SsmErrors.validation("The following data type is not supported: " + r.dataType()
                    + " (Data type names are all lowercase.)");
        }
        String user = ctx.principal().arn();
        return StoreTx.run(store, tx -> {
            Optional<StoredParameter> existing = tx.read(scope.key(name.value()), StoredParameter.class);
            if (existing.isPresent() && !overwrite) {
                throw SsmErrors.alreadyExists();
            }
            Optional<StoredParameter.Version> previous = existing.map(StoredParameter::latest);
            String type = Optional.ofNullable(r.type()).or(() -> previous.map(StoredParameter.Version::type))
                    .orElseThrow(() -> SsmErrors.validation("A parameter type is required when you create a parameter."));
            String description = Optional.ofNullable(r.description())
                    .or(() -> previous.map(StoredParameter.Version::description)).orElse("");
            String allowedPattern = Optional.ofNullable(r.allowedPattern())
                    .or(() -> previous.map(StoredParameter.Version::allowedPattern)).orElse("");
            checkAllowed(r.value(), allowedPattern);
            long version = previous.map(v -> v.version() + 1).orElse(1L);
            StoredParameter.Version next = new StoredParameter.Version(version, type,
                    secure.forStore(type, r.value(), name.arn(scope), version), description, allowedPattern,
                    clock.instant(), user);
            StoredParameter updated = existing.map(p -> p.withVersion(next))
                    .orElseGet(() -> new StoredParameter(name.value(), TEXT, STANDARD, tags, List.of(next)));
            tx.put(scope.key(name.value()), updated);
            return new PutParameterResult(STANDARD, version);
        });
    }

    private static void checkAllowed(String value, String allowedPattern) {
        if (allowedPattern.isEmpty()) {
            return;
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(allowedPattern);
        } catch (PatternSyntaxException e) {
            throw SsmErrors.invalidAllowedPattern();
        }
        if (!pattern.matcher(value).matches()) {
            throw SsmErrors.patternMismatch(allowedPattern);
        }
    }

    Object delete(CallContext ctx, DeleteParameterRequest r) {
        SsmScope scope = SsmScope.of(ctx);
        StoreTx.run(store, tx -> {
            tx.read(scope.key(r.name()), StoredParameter.class).orElseThrow(SsmErrors::parameterNotFound);
            tx.delete(scope.key(r.name()));
            return null;
        });
        return null;
    }

    DeleteParametersResult deleteAll(CallContext ctx, DeleteParametersRequest r) {
        SsmScope scope = SsmScope.of(ctx);
        List<String> names = List.copyOf(new LinkedHashSet<>(r.names()));
        return StoreTx.run(store, tx -> {
            List<String> deleted = new ArrayList<>();
            List<String> invalid = new ArrayList<>();
            for (String name : names) {
                if (tx.read(scope.key(name), StoredParameter.class).isPresent()) {
                    tx.delete(scope.key(name));
                    deleted.add(name);
                } else {
                    invalid.add(name);
                }
            }
            return new DeleteParametersResult(deleted, invalid);
        });
    }
}
