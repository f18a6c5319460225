package dev.stevedore.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.agent.runtime.ContainerRuntime;
import dev.stevedore.agent.runtime.ImageInfo;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Stevedore's demo image, {@value #IMAGE}: the host's static busybox with a link per applet, a
 * page in {@code /var/www}, and {@code httpd} serving it on port 80 as its default command. The
 * README's first examples run it, so the first task on a machine without a registry works: nothing
 * is pulled, the image is written here ({@code docker load} of an archive made in memory).
 *
 * <p>It is built from {@value #BUSYBOX} as Debian's {@code busybox-static} installs it (the dynamic
 * {@code busybox} package's binary would not run in an image without its libraries, so it is
 * refused). The archive's bytes depend on the binary only (fixed owners and times), so the image id
 * the engine gives it (the digest of its configuration) tells whether the image present is this
 * one; another one is replaced. The name is Stevedore's own so that it never shadows the public
 * {@code busybox}.
 */
final class DemoImage {
    static final String IMAGE = "stevedore/busybox:latest";
    static final Path BUSYBOX = Path.of("/bin/busybox");
    /** Marks the image as Stevedore's own, as the agent marks its pause image. */
    static final String IMAGE_LABEL = "dev.stevedore.image";
    private static final String PAGE = "Hello from Stevedore: this page is served by httpd in stevedore/busybox.\n";
    private static final Date EPOCH = Date.from(Instant.parse("2020-01-01T00:00:00Z"));
    private static final int PT_INTERP = 3;

    /** What {@link #ensure} did, in words for {@code up}'s output. */
    record Outcome(boolean present, String description) {
    }

    private DemoImage() {}

    /** Makes the image present in {@code runtime}'s engine, from {@code busybox}, unless it already is. */
    static Outcome ensure(ContainerRuntime runtime, Path busybox) {
        if (!Files.isRegularFile(busybox) || !Files.isExecutable(busybox)) {
            return new Outcome(false, IMAGE + " not built: " + busybox + " is missing (apt-get install busybox-static)");
        }
        try {
            byte[] program = Files.readAllBytes(busybox);
            if (!isStaticElf(program)) {
                return new Outcome(false, IMAGE + " not built: " + busybox
                        + " is not a statically linked program (apt-get install busybox-static)");
            }
            Archive image = archive(program, applets(busybox), architecture(runtime.hostInfo().architecture()));
            Optional<String> current = runtime.inspectImage(IMAGE).map(ImageInfo::id);
            if (current.filter(image.id()::equals).isPresent()) {
                return new Outcome(true, IMAGE + " is present");
            }
            runtime.loadImages(image.bytes());
            if (runtime.inspectImage(IMAGE).isEmpty()) {
                return new Outcome(false, IMAGE + " not built: the engine loaded it but does not show it");
            }
            return new Outcome(true, IMAGE + " built from " + busybox);
        } catch (IOException | RuntimeException e) {
            return new Outcome(false, IMAGE + " not built: " + e.getMessage());
        }
    }

    /** A program with no {@code PT_INTERP} header needs no dynamic loader: it runs in an empty image. */
    static boolean isStaticElf(byte[] program) {
        if (program.length < 64 || program[0] != 0x7f || program[1] != 'E' || program[2] != 'L' || program[3] != 'F'
                || program[4] != 2 /* 64-bit */ || program[5] != 1 /* little-endian */) {
            return false;
        }
        ByteBuffer elf = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
        long headers = elf.getLong(0x20);
        int size = Short.toUnsignedInt(elf.getShort(0x36));
        int count = Short.toUnsignedInt(elf.getShort(0x38));
        if (headers <= 0 || headers + (long) size * count > program.length) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            if (elf.getInt((int) headers + i * size) == PT_INTERP) {
                return false;
            }
        }
        return true;
    }

    /** The applet names the binary answers to, from {@code busybox --list}. */
    private static List<String> applets(Path busybox) throws IOException {
        Process list = new ProcessBuilder(busybox.toString(), "--list").redirectErrorStream(true).start();
        String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!list.waitFor(10, TimeUnit.SECONDS) || list.exitValue() != 0) {
                list.destroyForcibly();
                throw new IOException(busybox + " --list failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + busybox + " for its applets", e);
        }
        return out.lines().map(String::strip).filter(name -> name.matches("[A-Za-z0-9_.\\[\\]-]+"))
                .filter(name -> !name.equals("busybox")).toList();
    }

    /** {@code docker info}'s architecture in the OCI spelling an image configuration uses. */
    static String architecture(String engine) {
        return switch (engine) {
            case "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> engine;
        };
    }

    /** An image in the engine's save format, and the id the engine gives it (its configuration's digest). */
    record Archive(byte[] bytes, String id) {
    }

    /** The image in the engine's save format: the manifest, the configuration and the one layer. */
    static Archive archive(byte[] busybox, List<String> applets, String architecture) throws IOException {
        byte[] layer = rootFilesystem(busybox, applets);
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = json.createObjectNode().put("architecture", architecture).put("os", "linux");
        ObjectNode run = config.putObject("config");
        run.putArray("Cmd").add("httpd").add("-f").add("-p").add("80").add("-h").add("/var/www");
        run.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        run.putObject("Labels").put(IMAGE_LABEL, "demo");
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        rootfs.putArray("diff_ids").add("sha256:" + sha256(layer));
        byte[] configBytes = json.writeValueAsBytes(config);
        String configName = sha256(configBytes) + ".json";
        var manifest = json.createArrayNode();
        ObjectNode entry = manifest.addObject().put("Config", configName);
        entry.putArray("RepoTags").add(IMAGE);
        entry.putArray("Layers").add("layer.tar");
        byte[] bytes = tar(out -> {
            file(out, configName, 0644, configBytes);
            file(out, "layer.tar", 0644, layer);
            file(out, "manifest.json", 0644, json.writeValueAsBytes(manifest));
        });
        return new Archive(bytes, "sha256:" + sha256(configBytes));
    }

    /** The layer: {@code /bin/busybox} and its links, the users root and nobody, the page, empty mount points. */
    static byte[] rootFilesystem(byte[] busybox, List<String> applets) throws IOException {
        return tar(out -> {
            for (String dir : List.of("bin/", "dev/", "etc/", "proc/", "root/", "sys/", "tmp/", "var/", "var/www/")) {
                TarArchiveEntry entry = new TarArchiveEntry(dir);
                entry.setMode(switch (dir) {
                    case "tmp/" -> 01777;
                    case "root/" -> 0700;
                    default -> 0755;
                });
                put(out, entry, new byte[0]);
            }
            file(out, "bin/busybox", 0755, busybox);
            for (String applet : applets) {
                TarArchiveEntry link = new TarArchiveEntry("bin/" + applet, TarArchiveEntry.LF_SYMLINK);
                link.setLinkName("busybox");
                link.setMode(0777);
                put(out, link, new byte[0]);
            }
            file(out, "etc/passwd", 0644, ("root:x:0:0:root:/root:/bin/sh\n"
                    + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n").getBytes(StandardCharsets.UTF_8));
            file(out, "etc/group", 0644, "root:x:0:\nnogroup:x:65534:\n".getBytes(StandardCharsets.UTF_8));
            file(out, "var/www/index.html", 0644, PAGE.getBytes(StandardCharsets.UTF_8));
        });
    }

    private interface TarBody {
        void write(TarArchiveOutputStream out) throws IOException;
    }

    private static byte[] tar(TarBody body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            body.write(out);
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream out, String name, int mode, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(mode);
        entry.setSize(content.length);
        put(out, entry, content);
    }

    // Fixed owner and time: the same binary always gives the same layer, whoever builds it when.
    private static void put(TarArchiveOutputStream out, TarArchiveEntry entry, byte[] content) throws IOException {
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setModTime(EPOCH);
        out.putArchiveEntry(entry);
        out.write(content);
        out.closeArchiveEntry();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
