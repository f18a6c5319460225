package dev.stevedore.control.elb.loadbalancer;

import java.util.Map;

/**
 * The Route 53 hosted zone id ELB answers as an application load balancer's CanonicalHostedZoneId, per
 * Region (the ids AWS publishes for ALBs). A Region not listed gets us-east-1's: the member is always there
 * on AWS, and nothing here resolves it.
 */
final class HostedZones {
    private static final Map<String, String> BY_REGION = Map.ofEntries(
            Map.entry("us-east-1", "Z35SXDOTRQ7X7K"),
            Map.entry("us-east-2", "Z3AADJGX6KTTL2"),
            Map.entry("us-west-1", "Z368ELLRRE2KJ0"),
            Map.entry("us-west-2", "Z1H1FL5HABSF5"),
            Map.entry("eu-west-1", "Z32O12XQLNTSW2"),
            Map.entry("eu-west-2", "ZHURV8PSTC4K8"),
            Map.entry("eu-central-1", "Z215JYRZR1TBD5"),
            Map.entry("ap-northeast-1", "Z14GRHDCWA56QT"),
            Map.entry("ap-southeast-1", "Z1LMS91P8CMLE5"),
            Map.entry("ap-southeast-2", "Z1GM3OXH4ZPM65"));

    private HostedZones() {
    }

    static String of(String region) {
        return BY_REGION.getOrDefault(region, BY_REGION.get("us-east-1"));
    }
}
