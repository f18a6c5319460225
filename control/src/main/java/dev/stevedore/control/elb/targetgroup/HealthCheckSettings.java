package dev.stevedore.control.elb.targetgroup;

import dev.stevedore.control.elb.AttributeSchema;
import dev.stevedore.control.elb.ElbErrors;
import dev.stevedore.model.elbv2.Matcher;
import dev.stevedore.model.elbv2.TargetGroup;

/**
 * A target group's health check as ALB has it: protocol HTTP, port {@code traffic-port} or 1 to 65535, path
 * from "/", interval 5 to 300 s (default 30), timeout 2 to 120 s (default 5) and shorter than the interval,
 * healthy threshold 2 to 10 (default 5), unhealthy 2 to 10 (default 2), success codes 200 to 499 (default
 * "200", as "200,202" or "200-299").
 */
public record HealthCheckSettings(String protocol, String port, String path, int intervalSeconds, int timeoutSeconds,
                                  int healthyThreshold, int unhealthyThreshold, String httpCode) {

    public static final HealthCheckSettings DEFAULTS =
            new HealthCheckSettings("HTTP", "traffic-port", "/", 30, 5, 5, 2, "200");

    public static HealthCheckSettings of(TargetGroup tg) {
        return new HealthCheckSettings(tg.healthCheckProtocol(), tg.healthCheckPort(), tg.healthCheckPath(),
                tg.healthCheckIntervalSeconds(), tg.healthCheckTimeoutSeconds(), tg.healthyThresholdCount(),
                tg.unhealthyThresholdCount(), tg.matcher().httpCode());
    }

    /** These settings with the ones given changed (null: unchanged), checked as a whole. */
    public HealthCheckSettings with(String protocol, String port, String path, Integer interval, Integer timeout,
                                    Integer healthy, Integer unhealthy, Matcher matcher) {
        if (protocol != null && !protocol.equals("HTTP")) {
            throw ElbErrors.notImplemented("health checks of protocol '" + protocol + "'");
        }
        if (matcher != null && matcher.grpcCode() != null) {
            throw ElbErrors.validation("A gRPC code matcher can only be used with the protocol version 'GRPC'");
        }
        HealthCheckSettings next = new HealthCheckSettings(
                protocol == null ? this.protocol : protocol,
                port == null ? this.port : port,
                path == null ? this.path : path,
                interval == null ? intervalSeconds : interval,
                timeout == null ? timeoutSeconds : timeout,
                healthy == null ? healthyThreshold : healthy,
                unhealthy == null ? unhealthyThreshold : unhealthy,
                matcher == null || matcher.httpCode() == null ? httpCode : matcher.httpCode());
        next.check();
        return next;
    }

    private void check() {
        if (!port.equals("traffic-port") && !AttributeSchema.within(port, 1, 65535)) {
            throw ElbErrors.validation("Health check port '" + port + "' must be 'traffic-port' or between 1 and 65535");
        }
        if (!path.startsWith("/")) {
            throw ElbErrors.validation("Health check path must begin with a '/' character");
        }
        if (intervalSeconds < 5 || intervalSeconds > 300) {
            throw ElbErrors.validation("Health check interval must be between 5 and 300 seconds");
        }
        if (timeoutSeconds < 2 || timeoutSeconds > 120) {
            throw ElbErrors.validation("Health check timeout must be between 2 and 120 seconds");
        }
        if (timeoutSeconds >= intervalSeconds) {
            throw ElbErrors.validation("Health check timeout '" + timeoutSeconds
                    + "' must be smaller than the interval '" + intervalSeconds + "'");
        }
        if (healthyThreshold < 2 || healthyThreshold > 10 || unhealthyThreshold < 2 || unhealthyThreshold > 10) {
            throw ElbErrors.validation("Health check thresholds must be between 2 and 10");
        }
        if (!validCodes(httpCode)) {
            throw ElbErrors.validation("Health check matcher HTTP code '" + httpCode
                    + "' must be a code, a comma-separated list or a range of codes from 200 to 499");
        }
    }

    /** "200", "200,202", "200-299": every code within 200 to 499, a range ascending. */
    static boolean validCodes(String codes) {
        if (codes.isEmpty()) {
            return false;
        }
        if (codes.matches("[0-9]{3}-[0-9]{3}")) {
            int low = Integer.parseInt(codes.substring(0, 3));
            int high = Integer.parseInt(codes.substring(4));
            return low >= 200 && high <= 499 && low < high;
        }
        for (String code : codes.split(",", -1)) {
            if (!AttributeSchema.within(code, 200, 499)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a response status counts as a success under these settings' matcher. */
    public boolean matches(int status) {
        if (httpCode.contains("-")) {
            return status >= Integer.parseInt(httpCode.substring(0, 3)) && status <= Integer.parseInt(httpCode.substring(4));
        }
        for (String code : httpCode.split(",")) {
            if (Integer.parseInt(code) == status) {
                return true;
            }
        }
        return false;
    }

    public TargetGroup.Builder applyTo(TargetGroup.Builder tg) {
        return tg.healthCheckProtocol(protocol).healthCheckPort(port).healthCheckPath(path)
                .healthCheckIntervalSeconds(intervalSeconds).healthCheckTimeoutSeconds(timeoutSeconds)
                .healthyThresholdCount(healthyThreshold).unhealthyThresholdCount(unhealthyThreshold)
                .matcher(new Matcher(null, httpCode));
    }
}
