package dev.stevedore.control.ssm;

import dev.stevedore.model.ssm.ParameterStringFilter;
import dev.stevedore.model.ssm.ParametersFilter;
import dev.stevedore.model.ssm.Tag;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * SSM's parameter filters compiled to a predicate: every filter must hold, and a filter holds when any
 * of its values matches. Options as SSM documents them: Equals and BeginsWith for every key, Contains
 * for Name too, Recursive and OneLevel for Path.
 */
final class ParameterFilters {
    static final String NAME = "Name";
    static final String PATH = "Path";
    private static final String TAG_PREFIX = "tag:";
    private static final Set<String> SERVED = Set.of(NAME, "Type", PATH, "Tier", "DataType", "KeyId");

    private ParameterFilters() {
    }

    /** ParameterFilters of DescribeParameters, or of GetParametersByPath without the keys it refuses. */
    static Predicate<StoredParameter> compile(List<ParameterStringFilter> filters, Set<String> refusedKeys) {
        Predicate<StoredParameter> all = p -> true;
        for (ParameterStringFilter filter : filters) {
            all = all.and(one(filter, refusedKeys));
        }
        return all;
    }

    /** The older Filters of DescribeParameters: Name by prefix, Type and KeyId by equality. */
    static Predicate<StoredParameter> compileLegacy(List<ParametersFilter> filters) {
        Predicate<StoredParameter> all = p -> true;
        for (ParametersFilter filter : filters) {
            String option = NAME.equals(filter.key()) ? "BeginsWith" : "Equals";
            all = all.and(one(new ParameterStringFilter(filter.key(), option, filter.values()), Set.of()));
        }
        return all;
    }

    private static Predicate<StoredParameter> one(ParameterStringFilter filter, Set<String> refusedKeys) {
        String key = filter.key();
        boolean tag = key.startsWith(TAG_PREFIX);
        if (refusedKeys.contains(key) || (!tag && !SERVED.contains(key))) {
            throw SsmErrors.invalidFilterKey(key);
        }
        List<String> values = filter.values() == null ? List.of() : filter.values();
        if (PATH.equals(key)) {
            return path(filter.option() == null ? "OneLevel" : filter.option(), values);
        }
        String option = filter.option() == null ? "Equals" : filter.option();
        boolean known = option.equals("Equals") || option.equals("BeginsWith") || (option.equals("Contains") && NAME.equals(key));
        if (!known) {
            throw SsmErrors.invalidFilterOption("The following filter option is not valid: " + option
                    + ". Valid options include: [" + (NAME.equals(key) ? "Equals, BeginsWith, Contains" : "Equals, BeginsWith") + "].");
        }
        if (tag) {
            String tagKey = key.substring(TAG_PREFIX.length());
            return p -> p.tags().stream().filter(t -> t.key().equals(tagKey)).map(Tag::value)
                    .anyMatch(v -> values.isEmpty() || matchesAny(option, v, values));
        }
        if (values.isEmpty()) {
            throw SsmErrors.invalidFilterValue("The following filter values are missing : null for filter key " + key + ".");
        }
        return p -> matchesAny(option, attribute(key, p), values);
    }

    private static Predicate<StoredParameter> path(String option, List<String> values) {
        if (!option.equals("OneLevel") && !option.equals("Recursive")) {
            throw SsmErrors.invalidFilterOption("The following filter option is not valid: " + option
                    + ". Valid options include: [Recursive, OneLevel].");
        }
        for (String value : values) {
            if (!value.startsWith("/")) {
                throw SsmErrors.invalidFilterValue("The parameter doesn't meet the parameter name requirements. "
                        + "The parameter name must begin with a forward slash \"/\".");
            }
        }
        boolean recursive = option.equals("Recursive");
        return p -> values.stream().anyMatch(v -> underPath(p.name(), v, recursive));
    }

    /** Whether {@code name} is below {@code path}: a direct child, or any descendant when recursive. */
    static boolean underPath(String name, String path, boolean recursive) {
        String prefix = path.endsWith("/") ? path : path + "/";
        if (!name.startsWith(prefix) || name.length() == prefix.length()) {
            return false;
        }
        return recursive || name.indexOf('/', prefix.length()) < 0;
    }

    private static boolean matchesAny(String option, String actual, List<String> values) {
        return values.stream().anyMatch(v -> switch (option) {
            case "BeginsWith" -> actual.startsWith(v);
            case "Contains" -> actual.contains(v);
            default -> actual.equals(v);
        });
    }

    private static String attribute(String key, StoredParameter p) {
        return switch (key) {
            case NAME -> p.name();
            case "Type" -> p.latest().type();
            case "Tier" -> p.tier();
            case "DataType" -> p.dataType();
            case "KeyId" -> SecureValues.SECURE_STRING.equals(p.latest().type()) ? ParameterViews.DEFAULT_KEY_ID : "";
            default -> throw new IllegalArgumentException(key);
        };
    }
}
