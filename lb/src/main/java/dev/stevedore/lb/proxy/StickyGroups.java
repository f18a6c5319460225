package dev.stevedore.lb.proxy;

import dev.stevedore.lb.config.Action;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which target group of a forward action a request goes to: by weight, or, with group stickiness, the group
 * its {@code AWSALBTG} cookie names (as long as that group still has weight in the action).
 */
final class StickyGroups {

    static final String COOKIE = "AWSALBTG";

    /** The group (null when the action's groups are all gone) and the cookie to set, or null. */
    record Choice(GroupRoute group, String cookie) {
    }

    private StickyGroups() {
    }

    static Choice choose(Action.Forward action, HttpRequest request, Routing routing) {
        List<Action.WeightedGroup> groups = action.groups();
        if (groups.size() == 1) {
            return new Choice(routing.groups().get(groups.get(0).targetGroupId()), null);
        }
        long stickySeconds = action.stickiness().toSeconds();
        if (stickySeconds > 0) {
            String remembered = remembered(request);
            for (Action.WeightedGroup group : groups) {
                if (group.weight() > 0 && group.targetGroupId().equals(remembered)) {
                    return new Choice(routing.groups().get(remembered), cookie(remembered, stickySeconds));
                }
            }
        }
        String chosen = byWeight(groups);
        return new Choice(routing.groups().get(chosen), stickySeconds > 0 ? cookie(chosen, stickySeconds) : null);
    }

    private static String byWeight(List<Action.WeightedGroup> groups) {
        int total = 0;
        for (Action.WeightedGroup group : groups) {
            total += group.weight();
        }
        int draw = ThreadLocalRandom.current().nextInt(Math.max(total, 1));
        for (Action.WeightedGroup group : groups) {
            draw -= group.weight();
            if (draw < 0) {
                return group.targetGroupId();
            }
        }
        return groups.get(0).targetGroupId();
    }

    private static String cookie(String groupId, long seconds) {
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(groupId.getBytes(StandardCharsets.UTF_8));
        return COOKIE + "=" + value + "; Max-Age=" + seconds + "; Path=/";
    }

    private static String remembered(HttpRequest request) {
        for (String header : request.headers().getAll(HttpHeaderNames.COOKIE)) {
            for (String pair : header.split(";")) {
                String trimmed = pair.trim();
                if (trimmed.startsWith(COOKIE + "=")) {
                    try {
                        return new String(Base64.getUrlDecoder().decode(trimmed.substring(COOKIE.length() + 1)), StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException garbled) {
                        return "";
                    }
                }
            }
        }
        return "";
    }
}
