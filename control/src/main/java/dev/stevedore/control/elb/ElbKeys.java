package dev.stevedore.control.elb;

import dev.stevedore.control.ecs.EcsScope;

/**
 * Where each load balancer record lives in the store: {@code /elb/{account}/{region}/…}, apart from the ECS
 * records so the cluster feed never sees them. Load balancers and target groups are keyed by name (unique in
 * a scope, as ELB has it); what belongs to a load balancer or target group is keyed under its name, so one
 * range read finds it. The loopback addresses the load balancers listen on are machine-wide:
 * {@code /elb/addresses/{address}}.
 */
public final class ElbKeys {
    /** Everything of every scope: what the data plane watches. */
    public static final String ROOT = "/elb/";
    /** The loopback address claims, shared by every scope (one machine, one address space). */
    public static final String ADDRESSES = ROOT + "addresses/";

    private ElbKeys() {
    }

    public static String prefix(EcsScope s) {
        return ROOT + s.accountId() + "/" + s.region() + "/";
    }

    public static String loadBalancers(EcsScope s) {
        return prefix(s) + "load-balancers/";
    }

    public static String loadBalancer(EcsScope s, String name) {
        return loadBalancers(s) + name;
    }

    public static String targetGroups(EcsScope s) {
        return prefix(s) + "target-groups/";
    }

    public static String targetGroup(EcsScope s, String name) {
        return targetGroups(s) + name;
    }

    /** Every listener of the scope. */
    public static String listeners(EcsScope s) {
        return prefix(s) + "listeners/";
    }

    public static String listenersOf(EcsScope s, String loadBalancerName) {
        return listeners(s) + loadBalancerName + "/";
    }

    public static String listener(EcsScope s, String loadBalancerName, String listenerId) {
        return listenersOf(s, loadBalancerName) + listenerId;
    }

    /** Every rule of the scope (default rules are not stored: they are their listener's default actions). */
    public static String rules(EcsScope s) {
        return prefix(s) + "rules/";
    }

    public static String rulesOfLoadBalancer(EcsScope s, String loadBalancerName) {
        return rules(s) + loadBalancerName + "/";
    }

    public static String rulesOf(EcsScope s, String loadBalancerName, String listenerId) {
        return rulesOfLoadBalancer(s, loadBalancerName) + listenerId + "/";
    }

    public static String rule(EcsScope s, String loadBalancerName, String listenerId, String ruleId) {
        return rulesOf(s, loadBalancerName, listenerId) + ruleId;
    }

    public static String targetsOf(EcsScope s, String targetGroupName) {
        return prefix(s) + "targets/" + targetGroupName + "/";
    }

    public static String target(EcsScope s, String targetGroupName, String targetId, int port) {
        return targetsOf(s, targetGroupName) + targetId + ":" + port;
    }

    public static String address(String dottedAddress) {
        return ADDRESSES + dottedAddress;
    }
}
