package dev.stevedore.control.ssm;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.model.ssm.DescribeParametersRequest;
import dev.stevedore.model.ssm.DescribeParametersResult;
import dev.stevedore.model.ssm.GetParameterHistoryRequest;
import dev.stevedore.model.ssm.GetParameterHistoryResult;
import dev.stevedore.model.ssm.GetParameterRequest;
import dev.stevedore.model.ssm.GetParameterResult;
import dev.stevedore.model.ssm.GetParametersByPathRequest;
import dev.stevedore.model.ssm.GetParametersByPathResult;
import dev.stevedore.model.ssm.GetParametersRequest;
import dev.stevedore.model.ssm.GetParametersResult;
import dev.stevedore.model.ssm.Parameter;
import dev.stevedore.model.ssm.ParameterHistory;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** The reading operations: GetParameter(s), GetParametersByPath, GetParameterHistory, DescribeParameters. */
final class ParameterQueries {
    private static final int BY_PATH_PAGE = 10;
    private static final int DESCRIBE_PAGE = 50;
    private static final int HISTORY_PAGE = 50;

    private final ParameterReads reads;
    private final ParameterViews views;

    ParameterQueries(StateStore store, SecureValues secure) {
        this.reads = new ParameterReads(store);
        this.views = new ParameterViews(secure);
    }

    Map<String, JsonOperation> operations() {
        return Map.of(
                "GetParameter", Operations.typed(GetParameterRequest.class, this::get),
                "GetParameters", Operations.typed(GetParametersRequest.class, this::getAll),
                "GetParametersByPath", Operations.typed(GetParametersByPathRequest.class, this::byPath),
                "GetParameterHistory", Operations.typed(GetParameterHistoryRequest.class, this::history),
                "DescribeParameters", Operations.typed(DescribeParametersRequest.class, this::describe));
    }

    GetParameterResult get(CallContext ctx, GetParameterRequest r) {
        SsmScope scope = SsmScope.of(ctx);
        Selector selector = Selector.parse(r.name()).orElseThrow(SsmErrors::parameterNotFound);
        StoredParameter parameter = reads.findByNameOrArn(scope, selector.name()).orElseThrow(SsmErrors::parameterNotFound);
        StoredParameter.Version version = selector.pick(parameter)
                .orElseThrow(() -> SsmErrors.versionNotFound(parameter.name(), selector.version().orElseThrow()));
        return new GetParameterResult(views.parameter(scope, parameter, version, selector.selector(), decrypt(r.withDecryption())));
    }

    GetParametersResult getAll(CallContext ctx, GetParametersRequest r) {
        SsmScope scope = SsmScope.of(ctx);
        List<Parameter> found = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        for (String name : new LinkedHashSet<>(r.names())) {
            Optional<Parameter> parameter = Selector.parse(name).flatMap(selector -> reads.findByNameOrArn(scope, selector.name())
                    .flatMap(p -> selector.pick(p).map(v ->
                            views.parameter(scope, p, v, selector.selector(), decrypt(r.withDecryption())))));
            parameter.ifPresentOrElse(found::add, () -> invalid.add(name));
        }
        return new GetParametersResult(invalid, found);
    }

    GetParametersByPathResult byPath(CallContext ctx, GetParametersByPathRequest r) {
        SsmScope scope = SsmScope.of(ctx);
        if (!r.path().startsWith("/")) {
            throw SsmErrors.validation("The parameter doesn't meet the parameter name requirements. "
                    + "The parameter name must begin with a forward slash \"/\".");
        }
        if (r.path().chars().filter(c -> c == '/').count() > ParameterName.MAX_LEVELS) {
            throw SsmErrors.hierarchyTooDeep();
        }
        boolean recursive = Boolean.TRUE.equals(r.recursive());
        Predicate<StoredParameter> filter = ParameterFilters.compile(orEmpty(r.parameterFilters()),
                Set.of(ParameterFilters.NAME, ParameterFilters.PATH));
        String prefix = r.path().endsWith("/") ? r.path() : r.path() + "/";
        List<StoredParameter> matching = reads.withPrefix(scope, prefix).stream()
                .filter(p -> ParameterFilters.underPath(p.name(), r.path(), recursive))
                .filter(filter)
                .toList();
        Page<StoredParameter> page = Page.of(matching, StoredParameter::name, r.nextToken(), size(r.maxResults(), BY_PATH_PAGE));
        boolean decrypt = decrypt(r.withDecryption());
        return new GetParametersByPathResult(page.nextToken(),
                page.items().stream().map(p -> views.parameter(scope, p, p.latest(), "", decrypt)).toList());
    }

    GetParameterHistoryResult history(CallContext ctx, GetParameterHistoryRequest r) {
        SsmScope scope = SsmScope.of(ctx);
        StoredParameter parameter = reads.find(scope, r.name()).orElseThrow(SsmErrors::parameterNotFound);
        Page<StoredParameter.Version> page = Page.of(parameter.versions(), v -> String.format("%019d", v.version()),
                r.nextToken(), size(r.maxResults(), HISTORY_PAGE));
        boolean decrypt = decrypt(r.withDecryption());
        List<ParameterHistory> versions = page.items().stream()
                .map(v -> views.history(scope, parameter, v, decrypt)).toList();
        return new GetParameterHistoryResult(page.nextToken(), versions);
    }

    DescribeParametersResult describe(CallContext ctx, DescribeParametersRequest r) {
        SsmScope scope = SsmScope.of(ctx);
        if (r.filters() != null && r.parameterFilters() != null) {
            throw SsmErrors.validation("You can use either Filters or ParameterFilters in a single request.");
        }
        Predicate<StoredParameter> filter = r.filters() != null
                ? ParameterFilters.compileLegacy(r.filters())
                : ParameterFilters.compile(orEmpty(r.parameterFilters()), Set.of());
        List<StoredParameter> matching = reads.withPrefix(scope, "").stream().filter(filter).toList();
        Page<StoredParameter> page = Page.of(matching, StoredParameter::name, r.nextToken(), size(r.maxResults(), DESCRIBE_PAGE));
        return new DescribeParametersResult(page.nextToken(),
                page.items().stream().map(p -> views.metadata(scope, p)).toList());
    }

    private static boolean decrypt(Boolean withDecryption) {
        return Boolean.TRUE.equals(withDecryption);
    }

    private static int size(Integer maxResults, int defaultSize) {
        return maxResults == null ? defaultSize : maxResults;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
