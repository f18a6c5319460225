package dev.stevedore.control.elb.loadbalancer;

import dev.stevedore.model.elbv2.LoadBalancer;
import dev.stevedore.model.elbv2.Tag;

import java.util.List;
import java.util.Map;

/**
 * A stored application load balancer: the wire {@code LoadBalancer} (its State is answered, not stored), the
 * loopback address the data plane serves it on, its attributes as set (defaults are not stored) and its tags.
 */
public record LoadBalancerRecord(LoadBalancer loadBalancer, String address, Map<String, String> attributes,
                                 List<Tag> tags) {
    public LoadBalancerRecord {
        attributes = Map.copyOf(attributes);
        tags = List.copyOf(tags);
    }

    public String arn() {
        return loadBalancer.loadBalancerArn();
    }

    public String name() {
        return loadBalancer.loadBalancerName();
    }

    public LoadBalancerRecord withAttributes(Map<String, String> next) {
        return new LoadBalancerRecord(loadBalancer, address, next, tags);
    }

    public LoadBalancerRecord withTags(List<Tag> next) {
        return new LoadBalancerRecord(loadBalancer, address, attributes, next);
    }
}
