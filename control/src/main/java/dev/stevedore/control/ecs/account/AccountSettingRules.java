package dev.stevedore.control.ecs.account;

import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.model.ecs.SettingName;

import java.util.List;
import java.util.Map;

/**
 * What each account setting may hold and what it is when nobody set it.
 */
final class AccountSettingRules {
    private static final List<String> ON_OFF_ENABLED = List.of("enabled", "disabled");

    /** Accepted values per setting name. */
    private static final Map<String, List<String>> VALUES = Map.ofEntries(
            Map.entry(SettingName.SERVICE_LONG_ARN_FORMAT, List.of("enabled")),
            Map.entry(SettingName.TASK_LONG_ARN_FORMAT, List.of("enabled")),
            Map.entry(SettingName.CONTAINER_INSTANCE_LONG_ARN_FORMAT, List.of("enabled")),
            Map.entry(SettingName.AWSVPC_TRUNKING, ON_OFF_ENABLED),
            Map.entry(SettingName.CONTAINER_INSIGHTS, List.of("enhanced", "enabled", "disabled")),
            Map.entry(SettingName.FARGATE_FIPS_MODE, ON_OFF_ENABLED),
            Map.entry(SettingName.TAG_RESOURCE_AUTHORIZATION, List.of("on", "off")),
            Map.entry(SettingName.FARGATE_TASK_RETIREMENT_WAIT_PERIOD, List.of("0", "7", "14")),
            Map.entry(SettingName.GUARD_DUTY_ACTIVATE, List.of("on", "off")),
            Map.entry(SettingName.DEFAULT_LOG_DRIVER_MODE, List.of("blocking", "non-blocking")),
            Map.entry(SettingName.FARGATE_EVENT_WINDOWS, ON_OFF_ENABLED));

    /** The value in force when neither the principal nor the account set one. */
    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry(SettingName.SERVICE_LONG_ARN_FORMAT, "enabled"),
            Map.entry(SettingName.TASK_LONG_ARN_FORMAT, "enabled"),
            Map.entry(SettingName.CONTAINER_INSTANCE_LONG_ARN_FORMAT, "enabled"),
            Map.entry(SettingName.AWSVPC_TRUNKING, "disabled"),
            Map.entry(SettingName.CONTAINER_INSIGHTS, "disabled"),
            Map.entry(SettingName.FARGATE_FIPS_MODE, "disabled"),
            Map.entry(SettingName.TAG_RESOURCE_AUTHORIZATION, "on"),
            Map.entry(SettingName.FARGATE_TASK_RETIREMENT_WAIT_PERIOD, "7"),
            Map.entry(SettingName.GUARD_DUTY_ACTIVATE, "off"),
            Map.entry(SettingName.DEFAULT_LOG_DRIVER_MODE, "non-blocking"),
            Map.entry(SettingName.FARGATE_EVENT_WINDOWS, "disabled"));

    private AccountSettingRules() {
    }

    static String defaultValue(String name) {
        return DEFAULTS.get(name);
    }

    /** guardDutyActivate is managed by AWS: readable, never writable by a user. */
    static String type(String name) {
        return SettingName.GUARD_DUTY_ACTIVATE.equals(name) ? "aws_managed" : "user";
    }

    static void checkWritable(String name, String value) {
        if ("aws_managed".equals(type(name))) {
            throw EcsErrors.invalidParameter("The " + name + " account setting is managed by AWS and cannot be changed.");
        }
        List<String> allowed = VALUES.get(name);
        if (!allowed.contains(value)) {
            if (name.endsWith("LongArnFormat")) {
                // Stevedore only ever issues long ARNs; pretending to opt out would be a lie.
                throw EcsErrors.invalidParameter("The " + name
                        + " account setting cannot be disabled: Stevedore always uses the long ARN format.");
            }
            throw EcsErrors.invalidParameter("The value '" + value + "' is not valid for the " + name
                    + " account setting. Valid values: " + String.join(", ", allowed) + ".");
        }
    }
}
