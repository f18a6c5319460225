package dev.stevedore.control.ssm;

import java.util.List;

/**
 * A parameter's ARN as GetParameter and GetParameters accept it in place of the name. The ARN drops
 * the name's leading slash, so {@code parameter/x} may stand for {@code x} or {@code /x}; a path with
 * more levels can only be fully qualified.
 */
final class ParameterArn {
    static final String PREFIX = "arn:aws:ssm:";
    static final String RESOURCE = ":parameter/";

    private ParameterArn() {
    }

    /** The names the ARN may stand for in this scope, most literal first; none for another account or Region. */
    static List<String> names(SsmScope scope, String arn) {
        String scopePrefix = scope.arnPrefix() + "parameter/";
        if (!arn.startsWith(scopePrefix) || arn.length() == scopePrefix.length()) {
            return List.of();
        }
        String rest = arn.substring(scopePrefix.length());
        return rest.contains("/") ? List.of("/" + rest) : List.of(rest, "/" + rest);
    }
}
