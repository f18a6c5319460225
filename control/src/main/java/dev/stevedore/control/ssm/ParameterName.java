package dev.stevedore.control.ssm;

import java.util.regex.Pattern;

/**
 * A parameter's name as SSM constrains it: letters, digits and {@code _.-/}; a name with a {@code /} is
 * fully qualified (begins with {@code /}) and at most 15 levels deep; no {@code aws} or {@code ssm} prefix.
 * Names are case-sensitive, so the name is the identity.
 */
record ParameterName(String value) {
    static final int MAX_LEVELS = 15;
    private static final Pattern ALLOWED = Pattern.compile("[a-zA-Z0-9_.\\-/]+");

    /** Checks a name for a write; reads look names up as given, and a name that cannot exist is not found. */
    static ParameterName forWrite(String name) {
        if (!ALLOWED.matcher(name).matches()) {
            throw SsmErrors.validation("Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). "
                    + "If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be "
                    + "formed as a mix of letters, numbers and the following 3 symbols .-_");
        }
        String bare = name.startsWith("/") ? name.substring(1) : name;
        String lower = bare.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("aws") || lower.startsWith("ssm")) {
            throw SsmErrors.validation("Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).");
        }
        if (name.contains("/") && !name.startsWith("/")) {
            throw SsmErrors.validation("Parameter name must be a fully qualified name.");
        }
        if (name.contains("//") || (name.length() > 1 && name.endsWith("/")) || name.equals("/")) {
            throw SsmErrors.validation("Parameter name must not contain an empty level.");
        }
        if (name.chars().filter(c -> c == '/').count() > MAX_LEVELS) {
            throw SsmErrors.hierarchyTooDeep();
        }
        return new ParameterName(name);
    }

    /** {@code arn:aws:ssm:REGION:ACCOUNT:parameter/NAME}, the name's leading slash not doubled. */
    String arn(SsmScope scope) {
        return scope.arnPrefix() + "parameter/" + (value.startsWith("/") ? value.substring(1) : value);
    }
}
