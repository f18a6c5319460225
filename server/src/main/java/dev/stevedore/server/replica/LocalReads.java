package dev.stevedore.server.replica;

import dev.stevedore.awsproto.HttpRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which calls a replica that is not the leader answers from its own copy of the store: those whose
 * operation only reads (Describe, List, Get, BatchGet), of every service but CloudWatch Logs (log
 * events live in each replica's own data directory, so the leader's are the ones written), except
 * ELB's DescribeTargetHealth (target health comes from the health checks of the data plane, which
 * runs on the leader). Every other call is relayed to the leader, and so is a read that turns out to
 * write (an account's first IAM or EC2 call makes its defaults).
 */
final class LocalReads {

    private static final Pattern READ = Pattern.compile("^(Describe|List|Get|BatchGet)[A-Z].*");
    private static final String LOGS_TARGET_PREFIX = "Logs_";
    /** ELB's only read answered from the leader's data plane rather than from the store. */
    private static final String LEADERS_HEALTH_CHECKS = "DescribeTargetHealth";

    private LocalReads() {}

    static boolean servedLocally(HttpRequest request) {
        Optional<String> target = request.header("X-Amz-Target");
        if (target.isPresent()) {
            String value = target.get();
            int dot = value.lastIndexOf('.');
            return !value.startsWith(LOGS_TARGET_PREFIX) && dot >= 0 && READ.matcher(value.substring(dot + 1)).matches();
        }
        if (!request.path().equals("/")) {
            return false; // the agent join endpoints, the development reset: writes
        }
        return action(request).map(action -> READ.matcher(action).matches() && !action.equals(LEADERS_HEALTH_CHECKS))
                .orElse(false);
    }

    /** The Query and EC2 protocols' {@code Action}, from the form body or the query string. */
    private static Optional<String> action(HttpRequest request) {
        Optional<String> fromQuery = formValue(request.rawQuery(), "Action");
        if (fromQuery.isPresent()) {
            return fromQuery;
        }
        boolean form = request.header("Content-Type").map(t -> t.startsWith("application/x-www-form-urlencoded"))
                .orElse(false);
        return form ? formValue(new String(request.body(), StandardCharsets.UTF_8), "Action") : Optional.empty();
    }

    private static Optional<String> formValue(String form, String name) {
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                try {
                    return Optional.of(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
