package dev.stevedore.control.elb.listener;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.elb.ElbArns;
import dev.stevedore.control.elb.ElbErrors;
import dev.stevedore.control.elb.ElbKeys;
import dev.stevedore.control.elb.ElbRecords;
import dev.stevedore.control.elb.loadbalancer.LoadBalancerRecord;
import dev.stevedore.control.elb.query.Paging;
import dev.stevedore.control.elb.tags.Tags;
import dev.stevedore.control.iam.query.Listing;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.elbv2.Action;
import dev.stevedore.model.elbv2.CreateListenerInput;
import dev.stevedore.model.elbv2.CreateListenerOutput;
import dev.stevedore.model.elbv2.DeleteListenerInput;
import dev.stevedore.model.elbv2.DeleteListenerOutput;
import dev.stevedore.model.elbv2.DescribeListenersInput;
import dev.stevedore.model.elbv2.DescribeListenersOutput;
import dev.stevedore.model.elbv2.Listener;
import dev.stevedore.model.elbv2.ModifyListenerInput;
import dev.stevedore.model.elbv2.ModifyListenerOutput;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** CreateListener, DescribeListeners, ModifyListener and DeleteListener (HTTP listeners of application load balancers). */
public final class ListenerOperations {
    static final int PER_LOAD_BALANCER = 50;

    private final StateStore store;

    public ListenerOperations(StateStore store) {
        this.store = store;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateListener", Operations.typed(CreateListenerInput.class, this::create),
                "DescribeListeners", Operations.typed(DescribeListenersInput.class, this::describe),
                "ModifyListener", Operations.typed(ModifyListenerInput.class, this::modify),
                "DeleteListener", Operations.typed(DeleteListenerInput.class, this::delete));
    }

    CreateListenerOutput create(CallContext ctx, CreateListenerInput request) {
        EcsScope scope = EcsScope.of(ctx);
        String protocol = checkedProtocol(request.protocol());
        if (request.port() == null) {
            throw ElbErrors.validation("A listener port must be specified");
        }
        checkUnserved(request.certificates() != null && !request.certificates().isEmpty(), request.sslPolicy(),
                request.alpnPolicy(), request.mutualAuthentication());
        var tags = Tags.given(request.tags());
        return StoreTx.run(store, tx -> {
            LoadBalancerRecord lb = ElbRecords.requireLoadBalancer(tx, scope, request.loadBalancerArn());
            List<Action> actions = Actions.checked(tx, scope, lb, request.defaultActions());
            List<ListenerRecord> existing = ElbRecords.listenersOf(tx, scope, lb.name());
            for (ListenerRecord other : existing) {
                if (other.listener().port().equals(request.port())) {
                    Listener same = other.listener();
                    // Idempotent, as ELB's: the same listener asked for again is answered.
                    if (same.protocol().equals(protocol) && same.defaultActions().equals(actions)) {
                        return new CreateListenerOutput(List.of(same));
                    }
                    throw ElbErrors.of("DuplicateListener",
                            "A listener already exists on this port for this load balancer '" + lb.arn() + "'");
                }
            }
            if (existing.size() >= PER_LOAD_BALANCER) {
                throw ElbErrors.of("TooManyListeners", "You've reached the limit on the number of listeners per load balancer");
            }
            String id = ElbArns.newId();
            ElbArns.LoadBalancerRef lbRef = ElbArns.parseLoadBalancer(scope, lb.arn()).orElseThrow();
            Listener listener = Listener.builder()
                    .listenerArn(ElbArns.listener(scope, lbRef, id))
                    .loadBalancerArn(lb.arn())
                    .port(request.port())
                    .protocol(protocol)
                    .defaultActions(actions)
                    .build();
            // The load balancer is written back unchanged, so a DeleteLoadBalancer running at the same time either
            // sees this listener or makes this call run again.
            tx.put(ElbKeys.loadBalancer(scope, lb.name()), lb);
            tx.put(ElbKeys.listener(scope, lb.name(), id), new ListenerRecord(listener, tags, List.of()));
            return new CreateListenerOutput(List.of(listener));
        });
    }

    DescribeListenersOutput describe(CallContext ctx, DescribeListenersInput request) {
        EcsScope scope = EcsScope.of(ctx);
        List<String> arns = request.listenerArns() == null ? List.of() : request.listenerArns();
        if (arns.isEmpty() == (request.loadBalancerArn() == null)) {
            throw ElbErrors.validation("A load balancer ARN or listener ARNs must be specified, but not both");
        }
        List<Listener> found = StoreTx.run(store, tx -> {
            List<Listener> out = new ArrayList<>();
            if (request.loadBalancerArn() != null) {
                LoadBalancerRecord lb = ElbRecords.requireLoadBalancer(tx, scope, request.loadBalancerArn());
                ElbRecords.listenersOf(tx, scope, lb.name()).forEach(l -> out.add(l.listener()));
            } else {
                for (String arn : new LinkedHashSet<>(arns)) {
                    out.add(ElbRecords.requireListener(tx, scope, arn).listener());
                }
            }
            return out;
        });
        List<Listener> sorted = found.stream().sorted(Comparator.comparing(Listener::listenerArn)).toList();
        Listing.Page<Listener> page = Paging.page(sorted, Listener::listenerArn, request.marker(), request.pageSize());
        return new DescribeListenersOutput(page.items(), page.markerOrNull());
    }

    ModifyListenerOutput modify(CallContext ctx, ModifyListenerInput request) {
        EcsScope scope = EcsScope.of(ctx);
        String protocol = request.protocol() == null ? null : checkedProtocol(request.protocol());
        checkUnserved(request.certificates() != null && !request.certificates().isEmpty(), request.sslPolicy(),
                request.alpnPolicy(), request.mutualAuthentication());
        return StoreTx.run(store, tx -> {
            ListenerRecord record = ElbRecords.requireListener(tx, scope, request.listenerArn());
            LoadBalancerRecord lb = ElbRecords.requireLoadBalancer(tx, scope, record.listener().loadBalancerArn());
            Listener.Builder next = record.listener().toBuilder();
            if (request.port() != null && !request.port().equals(record.listener().port())) {
                boolean taken = ElbRecords.listenersOf(tx, scope, lb.name()).stream()
                        .anyMatch(l -> l.listener().port().equals(request.port()));
                if (taken) {
                    throw ElbErrors.validation("Listener port '" + request.port() + "' is already in use");
                }
                next.port(request.port());
            }
            if (protocol != null) {
                next.protocol(protocol);
            }
            if (request.defaultActions() != null && !request.defaultActions().isEmpty()) {
                next.defaultActions(Actions.checked(tx, scope, lb, request.defaultActions()));
            }
            Listener listener = next.build();
            ElbArns.ListenerRef ref = ElbArns.parseListener(scope, listener.listenerArn()).orElseThrow();
            tx.put(ElbKeys.listener(scope, ref.loadBalancerName(), ref.id()), record.withListener(listener));
            return new ModifyListenerOutput(List.of(listener));
        });
    }

    /** Deletes the listener and its rules. */
    DeleteListenerOutput delete(CallContext ctx, DeleteListenerInput request) {
        EcsScope scope = EcsScope.of(ctx);
        StoreTx.run(store, tx -> {
            ListenerRecord record = ElbRecords.requireListener(tx, scope, request.listenerArn());
            ElbArns.ListenerRef ref = ElbArns.parseListener(scope, record.arn()).orElseThrow();
            store.range(ElbKeys.rulesOf(scope, ref.loadBalancerName(), ref.id())).forEach(kv -> tx.delete(kv.key()));
            tx.delete(ElbKeys.listener(scope, ref.loadBalancerName(), ref.id()));
            return null;
        });
        return new DeleteListenerOutput();
    }

    private static String checkedProtocol(String protocol) {
        if (protocol == null) {
            throw ElbErrors.validation("A listener protocol must be specified");
        }
        return switch (protocol) {
            case "HTTP" -> protocol;
            case "HTTPS" -> throw ElbErrors.notImplemented("HTTPS listeners");
            default -> throw ElbErrors.of("UnsupportedProtocol",
                    "Protocol '" + protocol + "' is not supported by an application load balancer");
        };
    }

    private static void checkUnserved(boolean certificates, String sslPolicy, List<String> alpn, Object mutualAuthentication) {
        if (certificates || sslPolicy != null) {
            throw ElbErrors.validation("Certificates and an SSL policy can only be specified for HTTPS listeners");
        }
        if (alpn != null && !alpn.isEmpty()) {
            throw ElbErrors.validation("An ALPN policy can only be specified for TLS listeners");
        }
        if (mutualAuthentication != null) {
            throw ElbErrors.notImplemented("mutual authentication");
        }
    }
}
