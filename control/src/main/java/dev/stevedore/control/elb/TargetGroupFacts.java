package dev.stevedore.control.elb;

import java.util.List;

/**
 * What ECS checks of a target group named in a service's {@code loadBalancers}.
 *
 * @param targetType ELB's wire value: {@code ip}, {@code instance}, {@code lambda} or {@code alb}
 * @param loadBalancerArns the load balancers whose listeners or rules forward to the group (ECS refuses a
 *     group with none)
 */
public record TargetGroupFacts(String arn, String name, String targetType, List<String> loadBalancerArns,
                               int deregistrationDelaySeconds) {
}
