package dev.stevedore.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code java} command line that {@code bin/stevedore} runs for a Stevedore command: this JDK, the
 * JVM options the launcher gives that command ({@code up}'s, {@code agent}'s heap cap and so on), asked of
 * the launcher itself, then the runnable jar. The test processes are then the JVMs users run; without the
 * options each one also compiled with C2 and sized its heap from the machine, which on a loaded two-core
 * machine made a server take twice as long to answer.
 */
final class StevedoreJvm {
    private static final Map<String, List<String>> OPTIONS = new ConcurrentHashMap<>();

    private StevedoreJvm() {
    }

    /** {@code java <the launcher's options for command> -jar stevedore.jar command}. */
    static List<String> command(String command) {
        List<String> line = new ArrayList<>();
        line.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        line.addAll(OPTIONS.computeIfAbsent(command, StevedoreJvm::launcherOptions));
        line.addAll(List.of("-jar", StevedoreProcess.jar().toString(), command));
        return line;
    }

    private static List<String> launcherOptions(String command) {
        Path launcher = StevedoreProcess.jar().toAbsolutePath().getParent().resolve("../../bin/stevedore").normalize();
        if (!Files.isRegularFile(launcher)) {
            throw new IllegalStateException("launcher not found: " + launcher);
        }
        ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), command).redirectErrorStream(true);
        pb.environment().put("STEVEDORE_PRINT_JVM_OPTIONS", "1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("bin/stevedore did not print its JVM options for " + command + ": " + out);
            }
            return out.lines().map(String::trim).filter(option -> !option.isEmpty()).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + launcher, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
