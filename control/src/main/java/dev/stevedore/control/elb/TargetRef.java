package dev.stevedore.control.elb;

/**
 * A target as ELB names it: an IP address (target type {@code ip}) or an EC2 instance id (target type
 * {@code instance}), and the port traffic goes to.
 */
public record TargetRef(String id, int port) {
}
