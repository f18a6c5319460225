package dev.stevedore.control.logs;

import java.util.Optional;

/**
 * Which log group a call names: by {@code logGroupName}, or by {@code logGroupIdentifier} (its name or
 * ARN, with or without the trailing {@code :*}), never both.
 */
final class LogGroupNames {
    private LogGroupNames() {
    }

    static String named(LogsScope scope, String logGroupName, String logGroupIdentifier) {
        if (logGroupName != null && logGroupIdentifier != null) {
            throw LogsErrors.invalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
        }
        if (logGroupName != null) {
            return logGroupName;
        }
        if (logGroupIdentifier == null) {
            throw LogsErrors.invalidParameter("Either logGroupName or logGroupIdentifier must be specified.");
        }
        return fromIdentifier(scope, logGroupIdentifier).orElseThrow(LogsErrors::groupNotFound);
    }

    /** The group name an identifier stands for in this scope; empty for an ARN of another account or Region. */
    static Optional<String> fromIdentifier(LogsScope scope, String identifier) {
        if (!identifier.startsWith("arn:")) {
            return Optional.of(identifier);
        }
        String prefix = scope.groupArn("");
        if (!identifier.startsWith(prefix)) {
            return Optional.empty();
        }
        String name = identifier.substring(prefix.length());
        if (name.endsWith(":*")) {
            name = name.substring(0, name.length() - 2);
        }
        return name.isEmpty() || name.contains(":") ? Optional.empty() : Optional.of(name);
    }

    static LogGroupRow require(LogStore store, LogsScope scope, String name) {
        return store.group(scope, name).orElseThrow(LogsErrors::groupNotFound);
    }
}
