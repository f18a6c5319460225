package dev.stevedore.control.ecr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.AwsException;
import dev.stevedore.awsproto.AwsJson;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A repository's lifecycle policy, parsed and checked as ECR checks it, and what it expires: rules
 * in ascending {@code rulePriority}; each rule selects images by tag status and tag prefixes (an image
 * must have a tag starting with each prefix given), and an image a rule selects is no later rule's,
 * whether that rule expires it or keeps it. {@code imageCountMoreThan N} keeps the N most recently
 * pushed of its selection; {@code sinceImagePushed N days} expires those pushed more than N days ago.
 */
record LifecyclePolicy(List<Rule> rules) {

    enum TagStatus { TAGGED, UNTAGGED, ANY }

    enum CountType { IMAGE_COUNT_MORE_THAN, SINCE_IMAGE_PUSHED }

    record Rule(int priority, TagStatus tagStatus, List<String> tagPrefixes, CountType countType, long countNumber) {

        boolean selects(ImageRecord image) {
            return switch (tagStatus) {
                case UNTAGGED -> !image.tagged();
                case ANY -> true;
                case TAGGED -> image.tagged() && tagPrefixes.stream()
                        .allMatch(prefix -> image.tags().stream().anyMatch(tag -> tag.startsWith(prefix)));
            };
        }
    }

    /** An image a rule expires. */
    record Expiry(ImageRecord image, int rulePriority) {
    }

    static LifecyclePolicy parse(String text) {
        JsonNode root;
        try {
            root = AwsJson.mapper().readTree(text);
        } catch (IOException e) {
            throw invalid("Lifecycle policy text is not valid JSON");
        }
        if (root == null || !root.path("rules").isArray() || root.path("rules").isEmpty()) {
            throw invalid("'rules' must be a non-empty array");
        }
        List<Rule> rules = new ArrayList<>();
        Set<Integer> priorities = new HashSet<>();
        for (JsonNode rule : root.path("rules")) {
            Rule parsed = rule(rule);
            if (!priorities.add(parsed.priority())) {
                throw invalid("rulePriority " + parsed.priority() + " is used by more than one rule");
            }
            rules.add(parsed);
        }
        rules.sort(Comparator.comparingInt(Rule::priority));
        for (int i = 0; i < rules.size() - 1; i++) {
            if (rules.get(i).tagStatus() == TagStatus.ANY) {
                throw invalid("a rule with tagStatus 'any' must have the highest rulePriority");
            }
        }
        return new LifecyclePolicy(List.copyOf(rules));
    }

    private static Rule rule(JsonNode rule) {
        JsonNode priority = rule.path("rulePriority");
        if (!priority.canConvertToInt() || priority.asInt() < 1) {
            throw invalid("'rulePriority' must be a positive integer");
        }
        JsonNode selection = rule.path("selection");
        TagStatus tagStatus = switch (selection.path("tagStatus").asText()) {
            case "tagged" -> TagStatus.TAGGED;
            case "untagged" -> TagStatus.UNTAGGED;
            case "any" -> TagStatus.ANY;
            default -> throw invalid("'tagStatus' must be one of tagged, untagged, any");
        };
        List<String> prefixes = new ArrayList<>();
        selection.path("tagPrefixList").forEach(p -> prefixes.add(p.asText()));
        if (selection.has("tagPatternList")) {
            throw EcrErrors.notImplemented("tagPatternList in lifecycle policies");
        }
        if (tagStatus == TagStatus.TAGGED && prefixes.isEmpty()) {
            throw invalid("'tagPrefixList' is required when 'tagStatus' is 'tagged'");
        }
        if (tagStatus != TagStatus.TAGGED && !prefixes.isEmpty()) {
            throw invalid("'tagPrefixList' can only be used when 'tagStatus' is 'tagged'");
        }
        CountType countType = switch (selection.path("countType").asText()) {
            case "imageCountMoreThan" -> CountType.IMAGE_COUNT_MORE_THAN;
            case "sinceImagePushed" -> CountType.SINCE_IMAGE_PUSHED;
            default -> throw invalid("'countType' must be one of imageCountMoreThan, sinceImagePushed");
        };
        if (countType == CountType.SINCE_IMAGE_PUSHED && !"days".equals(selection.path("countUnit").asText())) {
            throw invalid("'countUnit' must be 'days' when 'countType' is 'sinceImagePushed'");
        }
        if (countType == CountType.IMAGE_COUNT_MORE_THAN && selection.has("countUnit")) {
            throw invalid("'countUnit' cannot be used when 'countType' is 'imageCountMoreThan'");
        }
        JsonNode count = selection.path("countNumber");
        if (!count.canConvertToLong() || count.asLong() < 1) {
            throw invalid("'countNumber' must be a positive integer");
        }
        String action = rule.path("action").path("type").asText();
        if (!action.equals("expire")) {
            throw invalid("'action.type' must be 'expire'");
        }
        return new Rule(priority.asInt(), tagStatus, List.copyOf(prefixes), countType, count.asLong());
    }

    /** The images this policy expires now, with the rule that expires each. */
    List<Expiry> expired(List<ImageRecord> images, Instant now) {
        Map<String, ImageRecord> unclaimed = new LinkedHashMap<>();
        images.stream().sorted(Comparator.comparing(ImageRecord::pushedAt).reversed().thenComparing(ImageRecord::digest))
                .forEach(image -> unclaimed.put(image.digest(), image));
        List<Expiry> expired = new ArrayList<>();
        for (Rule rule : rules) {
            List<ImageRecord> selected = unclaimed.values().stream().filter(rule::selects).toList();
            selected.forEach(image -> unclaimed.remove(image.digest()));
            for (int i = 0; i < selected.size(); i++) {
                ImageRecord image = selected.get(i);
                boolean expires = switch (rule.countType()) {
                    case IMAGE_COUNT_MORE_THAN -> i >= rule.countNumber();
                    case SINCE_IMAGE_PUSHED -> image.pushedAt().isBefore(now.minus(Duration.ofDays(rule.countNumber())));
                };
                if (expires) {
                    expired.add(new Expiry(image, rule.priority()));
                }
            }
        }
        return expired;
    }

    private static AwsException invalid(String why) {
        return EcrErrors.invalidParameter("Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint:"
                + " 'Lifecycle policy validation failure: " + why + "'");
    }
}
