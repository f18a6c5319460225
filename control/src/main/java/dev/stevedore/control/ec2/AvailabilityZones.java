package dev.stevedore.control.ec2;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Availability Zones Stevedore offers in a Region: {@code <region>a}, {@code b} and {@code c}.
 *
 * <p>Zone ids follow AWS's style ({@code use1-az1}: a short code of the Region and a number). In AWS
 * the mapping between zone names and zone ids differs from account to account (so that accounts do
 * not all crowd into "a"); here it is the same for every account: {@code a} is {@code az1},
 * {@code b} is {@code az2}, {@code c} is {@code az3}.
 */
public final class AvailabilityZones {
    private static final List<String> LETTERS = List.of("a", "b", "c");
    private static final Map<String, String> DIRECTIONS = Map.of(
            "north", "n", "south", "s", "east", "e", "west", "w", "central", "c",
            "northeast", "ne", "northwest", "nw", "southeast", "se", "southwest", "sw", "gov", "g");

    private AvailabilityZones() {
    }

    /** One zone: its name ({@code us-east-1a}) and id ({@code use1-az1}). */
    public record Zone(String name, String id) {
    }

    public static List<Zone> of(String region) {
        String code = shortCode(region);
        return java.util.stream.IntStream.range(0, LETTERS.size())
                .mapToObj(i -> new Zone(region + LETTERS.get(i), code + "-az" + (i + 1)))
                .toList();
    }

    public static Optional<Zone> byName(String region, String name) {
        return of(region).stream().filter(z -> z.name().equals(name)).findFirst();
    }

    public static Optional<Zone> byId(String region, String id) {
        return of(region).stream().filter(z -> z.id().equals(id)).findFirst();
    }

    /**
     * The Region's short code as AWS writes it in zone ids: the country part, the initials of the
     * direction words and the number ({@code us-east-1} → {@code use1}, {@code ap-southeast-2} →
     * {@code apse2}, {@code us-gov-west-1} → {@code usgw1}).
     */
    static String shortCode(String region) {
        String[] parts = region.split("-");
        StringBuilder code = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            code.append(DIRECTIONS.getOrDefault(parts[i], parts[i]));
        }
        return code.toString();
    }
}
