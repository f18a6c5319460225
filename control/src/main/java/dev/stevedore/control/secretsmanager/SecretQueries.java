package dev.stevedore.control.secretsmanager;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.secretsmanager.DescribeSecretRequest;
import dev.stevedore.model.secretsmanager.DescribeSecretResponse;
import dev.stevedore.model.secretsmanager.Filter;
import dev.stevedore.model.secretsmanager.ListSecretsRequest;
import dev.stevedore.model.secretsmanager.ListSecretsResponse;
import dev.stevedore.model.secretsmanager.SecretListEntry;
import dev.stevedore.store.StateStore;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** DescribeSecret and ListSecrets: they see secrets scheduled for deletion too (ListSecrets when asked). */
final class SecretQueries {
    private static final int DEFAULT_PAGE = 100;

    private final StateStore store;
    private final Clock clock;

    SecretQueries(StateStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    Map<String, JsonOperation> operations() {
        return Map.of(
                "DescribeSecret", Operations.typed(DescribeSecretRequest.class, this::describe),
                "ListSecrets", Operations.typed(ListSecretsRequest.class, this::list));
    }

    DescribeSecretResponse describe(CallContext ctx, DescribeSecretRequest request) {
        SecretsScope scope = SecretsScope.of(ctx);
        SecretRecord secret = StoreTx.run(store, tx -> SecretDirectory.find(tx, scope, request.secretId(), clock.instant())
                .orElseThrow(SecretsManagerErrors::notFound));
        return DescribeSecretResponse.builder()
                .arn(secret.arn())
                .name(secret.name())
                .description(secret.descriptionIfAny().orElse(null))
                .createdDate(secret.createdDate())
                .lastChangedDate(secret.lastChangedDate())
                .deletedDate(secret.deletion().map(SecretRecord.ScheduledDeletion::deletedDate).orElse(null))
                .tags(secret.tags().isEmpty() ? null : secret.tags())
                .versionIdsToStages(stagesOf(secret))
                .build();
    }

    ListSecretsResponse list(CallContext ctx, ListSecretsRequest request) {
        SecretsScope scope = SecretsScope.of(ctx);
        Instant now = clock.instant();
        boolean includeDeleted = Boolean.TRUE.equals(request.includePlannedDeletion());
        Predicate<SecretRecord> filter = Optional.ofNullable(request.filters()).orElse(List.of()).stream()
                .map(SecretQueries::compile)
                .reduce(s -> true, Predicate::and);
        List<SecretRecord> matching = StoreTx.run(store, tx -> SecretDirectory.all(tx, scope, now)).stream()
                .filter(s -> includeDeleted || s.deletion().isEmpty())
                .filter(filter)
                .sorted(order(request.sortBy(), request.sortOrder()))
                .toList();
        int start = Optional.ofNullable(request.nextToken()).map(SecretQueries::offsetOf).orElse(0);
        int size = Optional.ofNullable(request.maxResults()).orElse(DEFAULT_PAGE);
        int end = Math.min(matching.size(), start + size);
        List<SecretListEntry> page = matching.subList(Math.min(start, matching.size()), end).stream()
                .map(SecretQueries::entry)
                .toList();
        String next = end < matching.size() ? tokenFor(end) : null;
        return new ListSecretsResponse(next, page);
    }

    private static SecretListEntry entry(SecretRecord secret) {
        return SecretListEntry.builder()
                .arn(secret.arn())
                .name(secret.name())
                .description(secret.descriptionIfAny().orElse(null))
                .createdDate(secret.createdDate())
                .lastChangedDate(secret.lastChangedDate())
                .deletedDate(secret.deletion().map(SecretRecord.ScheduledDeletion::deletedDate).orElse(null))
                .tags(secret.tags().isEmpty() ? null : secret.tags())
                .secretVersionsToStages(stagesOf(secret))
                .build();
    }

    /** Omitted, as AWS omits it, for a secret that has no value yet. */
    private static Map<String, List<String>> stagesOf(SecretRecord secret) {
        if (secret.versions().isEmpty()) {
            return null;
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        secret.versions().forEach(v -> out.put(v.versionId(), v.stages()));
        return out;
    }

    private static Comparator<SecretRecord> order(String sortBy, String sortOrder) {
        Comparator<SecretRecord> by = switch (Optional.ofNullable(sortBy).orElse("created-date")) {
            case "name" -> Comparator.comparing(SecretRecord::name);
            case "last-changed-date" -> Comparator.comparing(SecretRecord::lastChangedDate);
            // Stevedore does not record reads, so last-accessed-date orders as created-date does.
            default -> Comparator.comparing(SecretRecord::createdDate);
        };
        by = by.thenComparing(SecretRecord::name);
        return "asc".equals(sortOrder) ? by : by.reversed();
    }

    /**
     * One filter: any of its values matches (a value starting with {@code !} matches what the rest
     * does not). Prefix matches, case-sensitive except for descriptions and {@code all}.
     */
    private static Predicate<SecretRecord> compile(Filter filter) {
        String key = Optional.ofNullable(filter.key()).orElse("all");
        List<String> values = Optional.ofNullable(filter.values()).orElse(List.of());
        if (values.isEmpty()) {
            throw SecretsManagerErrors.invalidParameter("Invalid filter values for key: " + key);
        }
        return values.stream().map(value -> {
            boolean negated = value.startsWith("!");
            String wanted = negated ? value.substring(1) : value;
            Predicate<SecretRecord> match = s -> attributes(s, key).stream().anyMatch(a -> matches(key, a, wanted));
            return negated ? match.negate() : match;
        }).reduce(s -> false, Predicate::or);
    }

    private static List<String> attributes(SecretRecord secret, String key) {
        return switch (key) {
            case "name" -> List.of(secret.name());
            case "description" -> secret.descriptionIfAny().stream().toList();
            case "tag-key" -> secret.tags().stream().map(t -> t.key()).toList();
            case "tag-value" -> secret.tags().stream().map(t -> t.value()).toList();
            case "all" -> java.util.stream.Stream.concat(
                    java.util.stream.Stream.concat(java.util.stream.Stream.of(secret.name()), secret.descriptionIfAny().stream()),
                    secret.tags().stream().flatMap(t -> java.util.stream.Stream.of(t.key(), t.value()))).toList();
            // No replicas and no managing services here: nothing has a primary Region or an owner.
            default -> List.of();
        };
    }

    private static boolean matches(String key, String attribute, String wanted) {
        return switch (key) {
            case "description" -> attribute.toLowerCase(Locale.ROOT).startsWith(wanted.toLowerCase(Locale.ROOT));
            case "all" -> words(attribute).stream().anyMatch(word -> words(wanted).stream().anyMatch(word::startsWith));
            default -> attribute.startsWith(wanted);
        };
    }

    /** Words as the unfiltered search splits them: at case changes, letter/digit changes and punctuation. */
    private static List<String> words(String text) {
        return java.util.Arrays.stream(text.split("[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])"))
                .filter(w -> !w.isEmpty())
                .map(w -> w.toLowerCase(Locale.ROOT))
                .toList();
    }

    private static String tokenFor(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int offsetOf(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith("offset:")) {
                return Integer.parseInt(text.substring("offset:".length()));
            }
        } catch (IllegalArgumentException e) {
            // answered below as AWS answers a token it did not issue
        }
        throw SecretsManagerErrors.invalidParameter("Invalid NextToken.");
    }
}
