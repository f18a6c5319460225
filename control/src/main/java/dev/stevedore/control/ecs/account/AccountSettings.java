package dev.stevedore.control.ecs.account;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.EcsErrors;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.ecs.Pagination;
import dev.stevedore.control.state.Records;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.ecs.DeleteAccountSettingRequest;
import dev.stevedore.model.ecs.DeleteAccountSettingResponse;
import dev.stevedore.model.ecs.ListAccountSettingsRequest;
import dev.stevedore.model.ecs.ListAccountSettingsResponse;
import dev.stevedore.model.ecs.PutAccountSettingDefaultRequest;
import dev.stevedore.model.ecs.PutAccountSettingDefaultResponse;
import dev.stevedore.model.ecs.PutAccountSettingRequest;
import dev.stevedore.model.ecs.PutAccountSettingResponse;
import dev.stevedore.model.ecs.Setting;
import dev.stevedore.model.ecs.SettingName;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ECS account settings: per-principal overrides over account-wide defaults (those of the root
 * user) over the built-in defaults.
 */
public final class AccountSettings {
    private final StateStore store;

    public AccountSettings(StateStore store) {
        this.store = store;
    }

    public Map<String, JsonOperation> operations() {
        return Map.of(
                "PutAccountSetting", Operations.typed(PutAccountSettingRequest.class, this::put),
                "PutAccountSettingDefault", Operations.typed(PutAccountSettingDefaultRequest.class, this::putDefault),
                "DeleteAccountSetting", Operations.typed(DeleteAccountSettingRequest.class, this::delete),
                "ListAccountSettings", Operations.typed(ListAccountSettingsRequest.class, this::list));
    }

    /** The containerInsights value in force for the caller; new clusters start with it. */
    public String containerInsights(CallContext ctx) {
        return effective(EcsScope.of(ctx), ctx.principal().arn(), SettingName.CONTAINER_INSIGHTS).value();
    }

    PutAccountSettingResponse put(CallContext ctx, PutAccountSettingRequest request) {
        String principal = Optional.ofNullable(request.principalArn()).orElse(ctx.principal().arn());
        return new PutAccountSettingResponse(write(EcsScope.of(ctx), principal, request.name(), request.value()));
    }

    PutAccountSettingDefaultResponse putDefault(CallContext ctx, PutAccountSettingDefaultRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        return new PutAccountSettingDefaultResponse(write(scope, root(scope), request.name(), request.value()));
    }

    DeleteAccountSettingResponse delete(CallContext ctx, DeleteAccountSettingRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        String principal = Optional.ofNullable(request.principalArn()).orElse(ctx.principal().arn());
        AccountSettingRules.checkWritable(request.name(), AccountSettingRules.defaultValue(request.name()));
        Setting removed = StoreTx.run(store, tx -> {
            String key = EcsKeys.accountSetting(scope, principal, request.name());
            Optional<Setting> existing = tx.read(key, Setting.class);
            tx.delete(key);
            return existing.orElseGet(() -> effective(scope, principal, request.name()));
        });
        return new DeleteAccountSettingResponse(removed);
    }

    ListAccountSettingsResponse list(CallContext ctx, ListAccountSettingsRequest request) {
        EcsScope scope = EcsScope.of(ctx);
        if (request.value() != null && request.name() == null) {
            throw EcsErrors.invalidParameter("You must specify a setting name when you filter by value.");
        }
        int size = Pagination.pageSize(request.maxResults(), 1, 10, 10);
        String principal = Optional.ofNullable(request.principalArn()).orElse(ctx.principal().arn());
        List<Setting> settings = new ArrayList<>();
        for (String name : SettingName.VALUES) {
            if (request.name() != null && !request.name().equals(name)) {
                continue;
            }
            Optional<Setting> setting = Boolean.TRUE.equals(request.effectiveSettings())
                    ? Optional.of(effective(scope, principal, name))
                    : explicit(scope, principal, name);
            setting.filter(s -> request.value() == null || request.value().equals(s.value()))
                    .ifPresent(settings::add);
        }
        settings.sort(java.util.Comparator.comparing(Setting::name));
        String fingerprint = "ListAccountSettings|" + request.name() + "|" + request.value() + "|" + principal
                + "|" + request.effectiveSettings();
        Pagination.Page<Setting> page = Pagination.page(settings, Setting::name, request.nextToken(), size,
                fingerprint, false);
        return new ListAccountSettingsResponse(page.nextToken().orElse(null), page.items());
    }

    private Setting write(EcsScope scope, String principal, String name, String value) {
        AccountSettingRules.checkWritable(name, value);
        Setting setting = new Setting(name, principal, AccountSettingRules.type(name), value);
        StoreTx.run(store, tx -> {
            tx.put(EcsKeys.accountSetting(scope, principal, name), setting);
            return setting;
        });
        return setting;
    }

    private Optional<Setting> explicit(EcsScope scope, String principal, String name) {
        return store.get(EcsKeys.accountSetting(scope, principal, name))
                .map(kv -> Records.decode(kv.value(), Setting.class));
    }

    private Setting effective(EcsScope scope, String principal, String name) {
        return explicit(scope, principal, name)
                .or(() -> explicit(scope, root(scope), name))
                .orElseGet(() -> new Setting(name, principal, AccountSettingRules.type(name),
                        AccountSettingRules.defaultValue(name)));
    }

    private static String root(EcsScope scope) {
        return "arn:aws:iam::" + scope.accountId() + ":root";
    }
}
