package dev.stevedore.control.elb.rule;

import dev.stevedore.control.ec2.Ipv4Cidr;
import dev.stevedore.control.elb.ElbErrors;
import dev.stevedore.model.elbv2.HostHeaderConditionConfig;
import dev.stevedore.model.elbv2.HttpHeaderConditionConfig;
import dev.stevedore.model.elbv2.HttpRequestMethodConditionConfig;
import dev.stevedore.model.elbv2.PathPatternConditionConfig;
import dev.stevedore.model.elbv2.QueryStringConditionConfig;
import dev.stevedore.model.elbv2.QueryStringKeyValuePair;
import dev.stevedore.model.elbv2.RuleCondition;
import dev.stevedore.model.elbv2.SourceIpConditionConfig;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A rule's conditions as ALB checks and keeps them. Fields: {@code path-pattern} and {@code host-header}
 * (the legacy Values or their config), {@code http-header}, {@code http-request-method}, {@code query-string},
 * {@code source-ip} (config only). Each field at most once except http-header and query-string; at most five
 * condition values in a rule. Kept in ELB's answered form: the config always, and Values too for path-pattern
 * and host-header.
 */
public final class Conditions {
    static final int MAX_VALUES = 5;
    private static final Set<String> ONCE = Set.of("path-pattern", "host-header", "http-request-method", "source-ip");

    private Conditions() {
    }

    public static List<RuleCondition> checked(List<RuleCondition> conditions) {
        if (conditions == null || conditions.isEmpty()) {
            throw ElbErrors.validation("A rule must have at least one condition");
        }
        List<RuleCondition> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int values = 0;
        for (RuleCondition condition : conditions) {
            String field = condition.field();
            if (field == null) {
                throw ElbErrors.validation("A condition field must be specified");
            }
            if (ONCE.contains(field) && !seen.add(field)) {
                throw ElbErrors.validation("A rule can only have one '" + field + "' condition");
            }
            if (condition.regexValues() != null && !condition.regexValues().isEmpty()) {
                throw ElbErrors.notImplemented("regular expression conditions");
            }
            RuleCondition checked = switch (field) {
                case "path-pattern" -> pathPattern(condition);
                case "host-header" -> hostHeader(condition);
                case "http-header" -> httpHeader(condition);
                case "http-request-method" -> method(condition);
                case "query-string" -> queryString(condition);
                case "source-ip" -> sourceIp(condition);
                default -> throw ElbErrors.validation("Condition field '" + field + "' is not valid");
            };
            values += valueCount(checked);
            out.add(checked);
        }
        if (values > MAX_VALUES) {
            throw ElbErrors.validation("A rule can only have '" + MAX_VALUES + "' condition values");
        }
        return out;
    }

    private static RuleCondition pathPattern(RuleCondition c) {
        onlyConfig(c, c.pathPatternConfig() != null, c.hostHeaderConfig(), c.httpHeaderConfig(),
                c.httpRequestMethodConfig(), c.queryStringConfig(), c.sourceIpConfig());
        if (c.pathPatternConfig() != null && c.pathPatternConfig().regexValues() != null
                && !c.pathPatternConfig().regexValues().isEmpty()) {
            throw ElbErrors.notImplemented("regular expression conditions");
        }
        List<String> values = legacyOrConfig(c, c.pathPatternConfig() == null ? null : c.pathPatternConfig().values());
        for (String v : values) {
            if (v.isEmpty() || v.length() > 128) {
                throw ElbErrors.validation("A path pattern must be 1 to 128 characters long");
            }
        }
        return RuleCondition.builder().field("path-pattern").values(values)
                .pathPatternConfig(new PathPatternConditionConfig(null, values)).build();
    }

    private static RuleCondition hostHeader(RuleCondition c) {
        onlyConfig(c, c.hostHeaderConfig() != null, c.pathPatternConfig(), c.httpHeaderConfig(),
                c.httpRequestMethodConfig(), c.queryStringConfig(), c.sourceIpConfig());
        if (c.hostHeaderConfig() != null && c.hostHeaderConfig().regexValues() != null
                && !c.hostHeaderConfig().regexValues().isEmpty()) {
            throw ElbErrors.notImplemented("regular expression conditions");
        }
        List<String> values = legacyOrConfig(c, c.hostHeaderConfig() == null ? null : c.hostHeaderConfig().values());
        for (String v : values) {
            if (v.isEmpty() || v.length() > 128 || !v.matches("[A-Za-z0-9.*?-]+")) {
                throw ElbErrors.validation("Host header value '" + v + "' is not valid");
            }
        }
        return RuleCondition.builder().field("host-header").values(values)
                .hostHeaderConfig(new HostHeaderConditionConfig(null, values)).build();
    }

    private static RuleCondition httpHeader(RuleCondition c) {
        HttpHeaderConditionConfig config = c.httpHeaderConfig();
        onlyConfig(c, false, c.pathPatternConfig(), c.hostHeaderConfig(), c.httpRequestMethodConfig(),
                c.queryStringConfig(), c.sourceIpConfig());
        if (config == null || config.httpHeaderName() == null || config.values() == null || config.values().isEmpty()) {
            throw ElbErrors.validation("An http-header condition needs an HttpHeaderConfig with a header name and values");
        }
        if (config.regexValues() != null && !config.regexValues().isEmpty()) {
            throw ElbErrors.notImplemented("regular expression conditions");
        }
        if (!config.httpHeaderName().matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}")) {
            throw ElbErrors.validation("HTTP header name '" + config.httpHeaderName() + "' is not valid");
        }
        for (String v : config.values()) {
            if (v.isEmpty() || v.length() > 128) {
                throw ElbErrors.validation("An HTTP header value must be 1 to 128 characters long");
            }
        }
        return RuleCondition.builder().field("http-header")
                .httpHeaderConfig(new HttpHeaderConditionConfig(config.httpHeaderName(), null, config.values())).build();
    }

    private static RuleCondition method(RuleCondition c) {
        HttpRequestMethodConditionConfig config = c.httpRequestMethodConfig();
        onlyConfig(c, false, c.pathPatternConfig(), c.hostHeaderConfig(), c.httpHeaderConfig(),
                c.queryStringConfig(), c.sourceIpConfig());
        if (config == null || config.values() == null || config.values().isEmpty()) {
            throw ElbErrors.validation("An http-request-method condition needs an HttpRequestMethodConfig with values");
        }
        for (String v : config.values()) {
            if (!v.matches("[A-Z_-]{1,40}")) {
                throw ElbErrors.validation("HTTP request method '" + v + "' is not valid");
            }
        }
        return RuleCondition.builder().field("http-request-method").httpRequestMethodConfig(config).build();
    }

    private static RuleCondition queryString(RuleCondition c) {
        QueryStringConditionConfig config = c.queryStringConfig();
        onlyConfig(c, false, c.pathPatternConfig(), c.hostHeaderConfig(), c.httpHeaderConfig(),
                c.httpRequestMethodConfig(), c.sourceIpConfig());
        if (config == null || config.values() == null || config.values().isEmpty()) {
            throw ElbErrors.validation("A query-string condition needs a QueryStringConfig with values");
        }
        for (QueryStringKeyValuePair pair : config.values()) {
            if (pair.value() == null || pair.value().isEmpty()) {
                throw ElbErrors.validation("A query string condition value must be specified");
            }
            if (pair.value().length() > 128 || pair.key() != null && pair.key().length() > 128) {
                throw ElbErrors.validation("Query string keys and values can be at most 128 characters long");
            }
        }
        return RuleCondition.builder().field("query-string").queryStringConfig(config).build();
    }

    private static RuleCondition sourceIp(RuleCondition c) {
        SourceIpConditionConfig config = c.sourceIpConfig();
        onlyConfig(c, false, c.pathPatternConfig(), c.hostHeaderConfig(), c.httpHeaderConfig(),
                c.httpRequestMethodConfig(), c.queryStringConfig());
        if (config == null || config.values() == null || config.values().isEmpty()) {
            throw ElbErrors.validation("A source-ip condition needs a SourceIpConfig with values");
        }
        for (String v : config.values()) {
            if (Ipv4Cidr.parse(v).isEmpty()) {
                throw v.contains(":") ? ElbErrors.notImplemented("IPv6 source-ip conditions")
                        : ElbErrors.validation("Source IP '" + v + "' is not a valid CIDR block");
            }
        }
        return RuleCondition.builder().field("source-ip").sourceIpConfig(config).build();
    }

    /** The legacy Values or the config's values (both given: they must be the same), at least one. */
    private static List<String> legacyOrConfig(RuleCondition c, List<String> configValues) {
        List<String> legacy = c.values() == null ? List.of() : c.values();
        List<String> fromConfig = configValues == null ? List.of() : configValues;
        if (!legacy.isEmpty() && !fromConfig.isEmpty() && !legacy.equals(fromConfig)) {
            throw ElbErrors.validation("You cannot specify both Values and a condition config for field '" + c.field() + "'");
        }
        List<String> values = legacy.isEmpty() ? fromConfig : legacy;
        if (values.isEmpty()) {
            throw ElbErrors.validation("A '" + c.field() + "' condition must have at least one value");
        }
        return values;
    }

    /** Refuses legacy Values for a field that has none, and the configs of other fields. */
    private static void onlyConfig(RuleCondition c, boolean legacyAllowedToo, Object... otherConfigs) {
        if (!legacyAllowedToo && c.values() != null && !c.values().isEmpty()
                && !c.field().equals("path-pattern") && !c.field().equals("host-header")) {
            throw ElbErrors.validation("Condition field '" + c.field() + "' must use its config, not Values");
        }
        for (Object other : otherConfigs) {
            if (other != null) {
                throw ElbErrors.validation("A '" + c.field() + "' condition can only have its own config");
            }
        }
    }

    private static int valueCount(RuleCondition c) {
        return switch (c.field()) {
            case "path-pattern", "host-header" -> c.values().size();
            case "http-header" -> c.httpHeaderConfig().values().size();
            case "http-request-method" -> c.httpRequestMethodConfig().values().size();
            case "query-string" -> c.queryStringConfig().values().size();
            case "source-ip" -> c.sourceIpConfig().values().size();
            default -> 0;
        };
    }
}
