package dev.stevedore.control.ssm;

import java.util.Optional;

/**
 * A name as GetParameter(s) take it: {@code name} (or the parameter's ARN) for the newest version, or
 * {@code name:version} for one version. Names cannot contain a colon, so the first colon after the name's
 * start separates the selector.
 *
 * @param selector the selector as the caller wrote it ({@code :3}), "" when absent
 * @param version  the selected version, empty for the newest
 */
record Selector(String name, String selector, Optional<Long> version) {

    /** Empty when the selector is no version number (SSM's labels are not served). */
    static Optional<Selector> parse(String text) {
        int resource = text.startsWith(ParameterArn.PREFIX) ? text.indexOf(ParameterArn.RESOURCE) : -1;
        int nameStart = resource < 0 ? 0 : resource + ParameterArn.RESOURCE.length();
        int colon = text.indexOf(':', nameStart);
        if (colon < 0) {
            return Optional.of(new Selector(text, "", Optional.empty()));
        }
        String suffix = text.substring(colon + 1);
        if (!suffix.matches("[0-9]{1,18}")) {
            return Optional.empty();
        }
        return Optional.of(new Selector(text.substring(0, colon), text.substring(colon), Optional.of(Long.parseLong(suffix))));
    }

    Optional<StoredParameter.Version> pick(StoredParameter parameter) {
        return version.isEmpty() ? Optional.of(parameter.latest()) : parameter.version(version.get());
    }
}
