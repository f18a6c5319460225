package dev.stevedore.agent.engine;

import dev.stevedore.agent.runtime.ContainerRuntime;
import dev.stevedore.agent.runtime.ContainerRuntimeException;
import dev.stevedore.agent.runtime.ContainerRuntimeException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * The image of the pause container that holds an {@code awsvpc} task's network namespace. Nothing
 * can be pulled for it, so the agent makes it itself ({@code docker load} of an archive it writes)
 * the first time a task needs it: one layer holding one static program, {@code /pause}, that sleeps
 * until a signal arrives, forever.
 *
 * <p>The program is the resource {@code pause-x86_64}, a hand-assembled 129-byte ELF64 executable
 * for x86-64 Linux, so the image runs on x86-64 hosts only. Its layout: the 64-byte ELF header
 * (type EXEC, machine x86-64, entry 0x400078, one program header at offset 64), one 56-byte
 * {@code PT_LOAD} header mapping the whole file read+execute at 0x400000, and 9 bytes of code at
 * offset 120 (0x400078):
 * <pre>
 *   b8 22 00 00 00   mov eax, 34     ; the pause(2) system call number
 *   0f 05            syscall         ; sleep until a signal is delivered
 *   eb f7            jmp  -9         ; back to the mov: pause again
 * </pre>
 * It installs no signal handler. As PID 1 of its PID namespace the kernel does not deliver
 * SIGTERM or SIGINT to it at all, so {@code docker stop} would wait out its timeout: the agent
 * removes the pause container with a forced remove (SIGKILL) instead.
 */
final class PauseImage {

    /** Local only: a tag that no registry is ever asked for. */
    static final String IMAGE = "stevedore-internal/pause:1";
    static final String PROGRAM = "/pause";
    private static final String RESOURCE = "pause-x86_64";
    private static final Set<String> X86_64 = Set.of("x86_64", "amd64");
    /** Marks the image as the agent's own. */
    static final String IMAGE_LABEL = "dev.stevedore.image";

    private PauseImage() {}

    /**
     * Makes the image present.
     *
     * @throws IllegalStateException when the host is not x86-64 (the message says so)
     */
    static void ensure(ContainerRuntime runtime) {
        if (runtime.inspectImage(IMAGE).isPresent()) {
            return;
        }
        String arch = runtime.hostInfo().architecture();
        if (!runsOn(arch)) {
            throw new IllegalStateException("the Stevedore agent's pause program is x86-64 only; this host is " + arch);
        }
        runtime.loadImages(archive());
        if (runtime.inspectImage(IMAGE).isEmpty()) {
            throw new ContainerRuntimeException(Kind.CREATE_FAILED, "the engine loaded the pause image but does not show " + IMAGE);
        }
    }

    /** Whether the pause program runs on an engine of this architecture ({@code docker info}'s spelling). */
    static boolean runsOn(String architecture) {
        return X86_64.contains(architecture);
    }

    /**
     * The image in the engine's save format: {@code manifest.json} naming the configuration, the
     * tag and the one layer; the configuration, whose {@code diff_ids} is the layer's digest.
     */
    static byte[] archive() {
        byte[] layer = rootFilesystem();
        String diffId = "sha256:" + sha256(layer);
        String config = """
                {"architecture":"amd64","os":"linux","config":{"Entrypoint":["%s"],"Labels":{"%s":"pause"}},\
                "rootfs":{"type":"layers","diff_ids":["%s"]}}""".formatted(PROGRAM, IMAGE_LABEL, diffId);
        String configName = sha256(config.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ".json";
        String manifest = """
                [{"Config":"%s","RepoTags":["%s"],"Layers":["layer.tar"]}]""".formatted(configName, IMAGE);
        return new TarArchive()
                .file(configName, config)
                .file("layer.tar", 0644, layer)
                .file("manifest.json", manifest)
                .bytes();
    }

    /** The image's one layer: {@code /pause}, owned by root, mode 0755. */
    static byte[] rootFilesystem() {
        return new TarArchive().file(PROGRAM.substring(1), 0755, program()).bytes();
    }

    static byte[] program() {
        try (InputStream in = PauseImage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the pause program resource " + RESOURCE + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
