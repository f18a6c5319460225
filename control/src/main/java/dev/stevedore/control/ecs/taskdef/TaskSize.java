package dev.stevedore.control.ecs.taskdef;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The task-level cpu (in CPU units) and memory (in MiB) of a registration.
 *
 * <p>ECS accepts these as strings with units ({@code "1 vCPU"}, {@code "0.5 GB"}) and stores the
 * plain integer, so a describe returns {@code "cpu": "1024"} whatever the caller wrote.
 */
record TaskSize(OptionalInt cpu, OptionalInt memory) {

    /** The model documents task cpu as 128 to 196608 units (0.125 to 192 vCPU). */
    static final int MIN_CPU = 128;
    static final int MAX_CPU = 196_608;

    private static final BigDecimal UNITS_PER_VCPU = BigDecimal.valueOf(1024);
    private static final BigDecimal MIB_PER_GB = BigDecimal.valueOf(1024);
    private static final Pattern CPU = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*(vcpus?)?");
    private static final Pattern MEMORY = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*(gib|gb|mib|mb)?");

    static TaskSize parse(String cpu, String memory) {
        return new TaskSize(parseCpu(cpu), parseMemory(memory));
    }

    /** The stored form of the cpu member, or null when the request had none. */
    String cpuText() {
        return cpu.isPresent() ? Integer.toString(cpu.getAsInt()) : null;
    }

    /** The stored form of the memory member, or null when the request had none. */
    String memoryText() {
        return memory.isPresent() ? Integer.toString(memory.getAsInt()) : null;
    }

    private static OptionalInt parseCpu(String text) {
        if (text == null) {
            return OptionalInt.empty();
        }
        // Verified: ECS answers an unreadable or out-of-range task cpu with this text.
        InvalidTaskDefinitionException invalid = InvalidTaskDefinitionException.client("Invalid 'cpu' setting for task.");
        Matcher m = CPU.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw invalid;
        }
        int units = toInt(new BigDecimal(m.group(1)), m.group(2) == null ? null : UNITS_PER_VCPU, invalid);
        if (units < MIN_CPU || units > MAX_CPU) {
            throw invalid;
        }
        return OptionalInt.of(units);
    }

    private static OptionalInt parseMemory(String text) {
        if (text == null) {
            return OptionalInt.empty();
        }
        // Unverified text: the cpu message with the other member's name, as the docs say both are checked alike.
        InvalidTaskDefinitionException invalid = InvalidTaskDefinitionException.client("Invalid 'memory' setting for task.");
        Matcher m = MEMORY.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw invalid;
        }
        String unit = m.group(2);
        BigDecimal scale = unit != null && unit.startsWith("g") ? MIB_PER_GB : null;
        int mib = toInt(new BigDecimal(m.group(1)), scale, invalid);
        if (mib < 1) {
            throw invalid;
        }
        return OptionalInt.of(mib);
    }

    /**
     * Applies a unit. With a unit, fractions are truncated (a user who asked for "0.2 vCPU" was
     * quoted back "204 CPU" by ECS); without one the value is taken as the base unit and must be whole.
     */
    private static int toInt(BigDecimal value, BigDecimal scale, InvalidTaskDefinitionException invalid) {
        BigDecimal scaled = scale == null ? value : value.multiply(scale).setScale(0, RoundingMode.DOWN);
        try {
            return scaled.intValueExact();
        } catch (ArithmeticException notWholeOrTooLarge) {
            throw invalid;
        }
    }
}
