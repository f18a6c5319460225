package dev.stevedore.control.ecs.instance;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.ecs.Pagination;
import dev.stevedore.control.ecs.cluster.Clusters;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.Attribute;
import dev.stevedore.model.ecs.ContainerInstance;
import dev.stevedore.model.ecs.DeleteAttributesRequest;
import dev.stevedore.model.ecs.DeleteAttributesResponse;
import dev.stevedore.model.ecs.ListAttributesRequest;
import dev.stevedore.model.ecs.ListAttributesResponse;
import dev.stevedore.model.ecs.PutAttributesRequest;
import dev.stevedore.model.ecs.PutAttributesResponse;
import dev.stevedore.model.ecs.TargetType;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * PutAttributes, DeleteAttributes and ListAttributes: custom attributes on container instances,
 * which placement constraints and the cluster query language can then select on.
 */
public final class AttributeOperations {
    /** ECS's limit of custom attributes per container instance, and of attributes per call. */
    static final int MAX_CUSTOM = 10;
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_./\\\\-]{1,128}");
    static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_.@/\\\\: -]{1,128}");

    private final StateStore store;

    public AttributeOperations(StateStore store) {
        this.store = store;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "PutAttributes", Operations.typed(PutAttributesRequest.class, this::put),
                "DeleteAttributes", Operations.typed(DeleteAttributesRequest.class, this::delete),
                "ListAttributes", Operations.typed(ListAttributesRequest.class, this::list));
    }

    PutAttributesResponse put(CallContext ctx, PutAttributesRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, request.cluster());
        checkCount(request.attributes());
        for (Attribute a : request.attributes()) {
            checkName(a);
            if (a.value() != null && (!VALUE.matcher(a.value()).matches() || !a.value().strip().equals(a.value()))) {
                throw EcsErrors.invalidParameter("Attribute value '" + a.value() + "' is invalid: it can have up to "
                        + "128 letters, numbers, hyphens, underscores, periods, at signs, slashes, back slashes, "
                        + "colons and spaces, and must not start or end with a space.");
            }
        }
        return new PutAttributesResponse(change(scope, cluster, request.attributes(), true));
    }

    DeleteAttributesResponse delete(CallContext ctx, DeleteAttributesRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, request.cluster());
        checkCount(request.attributes());
        request.attributes().forEach(AttributeOperations::checkName);
        return new DeleteAttributesResponse(change(scope, cluster, request.attributes(), false));
    }

    ListAttributesResponse list(CallContext ctx, ListAttributesRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String cluster = Clusters.name(scope, request.cluster());
        if (request.attributeValue() != null && request.attributeName() == null) {
            throw EcsErrors.invalidParameter("attributeName must be specified when attributeValue is.");
        }
        int size = Pagination.pageSize(request.maxResults(), 1, 100, 100);
        List<ContainerInstance> instances = StoreTx.run(store, tx -> {
            Clusters.requireActive(tx, scope, cluster);
            return tx.scan(EcsKeys.containerInstances(scope, cluster), ContainerInstance.class);
        });
        List<Attribute> out = new ArrayList<>();
        for (ContainerInstance i : instances) {
            if (InstanceStatus.INACTIVE.equals(i.status())) {
                continue;
            }
            for (Attribute a : Optional.ofNullable(i.attributes()).orElse(List.of())) {
                boolean nameMatches = request.attributeName() == null || request.attributeName().equals(a.name());
                boolean valueMatches = request.attributeValue() == null || request.attributeValue().equals(a.value());
                if (nameMatches && valueMatches) {
                    out.add(new Attribute(a.name(), i.containerInstanceArn(), TargetType.CONTAINER_INSTANCE, a.value()));
                }
            }
        }
        String fingerprint = "ListAttributes|" + cluster + "|" + request.attributeName() + "|" + request.attributeValue();
        Pagination.Page<Attribute> page = Pagination.page(out, a -> a.targetId() + "\n" + a.name(),
                request.nextToken(), size, fingerprint, false);
        return new ListAttributesResponse(page.items(), page.nextToken().orElse(null));
    }

    /** Puts or deletes the attributes on their targets, all in one transaction. */
    private List<Attribute> change(EcsScope scope, String cluster, List<Attribute> attributes, boolean put) {
        return StoreTx.run(store, tx -> {
            Clusters.requireActive(tx, scope, cluster);
            Map<String, ContainerInstance> changed = new LinkedHashMap<>();
            List<Attribute> answered = new ArrayList<>();
            for (Attribute a : attributes) {
                if (a.targetType() != null && !TargetType.CONTAINER_INSTANCE.equals(a.targetType())) {
                    throw EcsErrors.invalidParameter("targetType must be container-instance.");
                }
                if (a.targetId() == null) {
                    throw EcsErrors.invalidParameter("targetId must be specified for attribute " + a.name() + ".");
                }
                ContainerInstance instance = ContainerInstances.read(tx, scope, cluster, a.targetId())
                        .map(i -> changed.getOrDefault(i.containerInstanceArn(), i))
                        .filter(i -> !InstanceStatus.INACTIVE.equals(i.status()))
                        .orElseThrow(() -> EcsErrors.of("TargetNotFoundException",
                                "Could not find " + a.targetId() + "."));
                List<Attribute> current = new ArrayList<>(Optional.ofNullable(instance.attributes()).orElse(List.of()));
                current.removeIf(x -> x.name().equals(a.name()));
                if (put) {
                    current.add(Attribute.builder().name(a.name()).value(a.value()).build());
                    long custom = current.stream().filter(x -> !Attributes.isBuiltIn(x.name())).count();
                    if (custom > MAX_CUSTOM) {
                        throw EcsErrors.of("AttributeLimitExceededException", "You can have at most " + MAX_CUSTOM
                                + " custom attributes on a container instance.");
                    }
                }
                changed.put(instance.containerInstanceArn(), instance.toBuilder().attributes(current).build());
                answered.add(new Attribute(a.name(), a.targetId(), TargetType.CONTAINER_INSTANCE, a.value()));
            }
            changed.values().forEach(i -> ContainerInstances.write(tx, scope,
                    i.toBuilder().version(i.version() + 1).build()));
            return answered;
        });
    }

    private static void checkCount(List<Attribute> attributes) {
        if (attributes.isEmpty() || attributes.size() > MAX_CUSTOM) {
            throw EcsErrors.invalidParameter("You can specify between 1 and " + MAX_CUSTOM + " attributes per call.");
        }
    }

    private static void checkName(Attribute a) {
        if (a.name() == null || !NAME.matcher(a.name()).matches()) {
            throw EcsErrors.invalidParameter("Attribute name '" + a.name() + "' is invalid: it can have up to 128 "
                    + "letters, numbers, hyphens, underscores, periods, slashes and back slashes.");
        }
    }
}
