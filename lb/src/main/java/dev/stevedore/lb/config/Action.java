package dev.stevedore.lb.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** What a listener does with a request its rule (or default) matched. */
public sealed interface Action {

    default Set<String> targetGroupIds() {
        return Set.of();
    }

    /**
     * Forward to one of the groups, chosen by weight. With a stickiness duration, a client that was sent to a
     * group keeps going to it for that long (a cookie carries the choice).
     */
    record Forward(List<WeightedGroup> groups, Duration stickiness) implements Action {
        public Forward {
            groups = List.copyOf(groups);
            if (groups.isEmpty()) {
                throw new IllegalArgumentException("a forward action needs a target group");
            }
            if (groups.stream().mapToInt(WeightedGroup::weight).sum() == 0 && groups.size() > 1) {
                throw new IllegalArgumentException("every target group of the forward action has weight 0");
            }
            if (stickiness.isNegative()) {
                throw new IllegalArgumentException("negative stickiness duration");
            }
        }

        /** Forward everything to one group, without stickiness. */
        public static Forward to(String targetGroupId) {
            return new Forward(List.of(new WeightedGroup(targetGroupId, 1)), Duration.ZERO);
        }

        @Override
        public Set<String> targetGroupIds() {
            return groups.stream().map(WeightedGroup::targetGroupId).collect(Collectors.toUnmodifiableSet());
        }
    }

    record WeightedGroup(String targetGroupId, int weight) {
        public WeightedGroup {
            if (weight < 0 || weight > 999) {
                throw new IllegalArgumentException("target group weight out of range 0-999: " + weight);
            }
        }
    }

    record FixedResponse(int statusCode, String contentType, String body) implements Action {
        public FixedResponse {
            if (statusCode < 200 || statusCode > 599) {
                throw new IllegalArgumentException("fixed-response status code out of range: " + statusCode);
            }
        }
    }

    /**
     * Redirect to a URL built from templates; each may use {@code #{protocol}}, {@code #{host}},
     * {@code #{port}}, {@code #{path}} (without its leading slash) and {@code #{query}} of the request, as ALB
     * does. ALB's defaults are {@link #DEFAULTS}.
     */
    record Redirect(String protocol, String host, String port, String path, String query, int statusCode)
            implements Action {
        public static final Redirect DEFAULTS = new Redirect("#{protocol}", "#{host}", "#{port}", "/#{path}", "#{query}", 301);

        public Redirect {
            if (statusCode != 301 && statusCode != 302) {
                throw new IllegalArgumentException("redirect status must be 301 or 302: " + statusCode);
            }
        }
    }
}
