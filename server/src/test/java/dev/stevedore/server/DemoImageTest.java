package dev.stevedore.server;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo image's archive and the check that the busybox it is made of runs on its own. */
class DemoImageTest {

    @Test
    void aProgramWithAnInterpreterIsNotStaticAndOneWithoutIs() {
        assertThat(DemoImage.isStaticElf(elf(1 /* PT_LOAD */))).isTrue();
        assertThat(DemoImage.isStaticElf(elf(1, 3 /* PT_INTERP */))).isFalse();
        assertThat(DemoImage.isStaticElf("#!/bin/sh\necho not a program\n".repeat(4).getBytes())).isFalse();
    }

    @Test
    void theArchiveIsTheSameForTheSameProgramAndHoldsTheAppletsAsLinks() throws IOException {
        byte[] program = elf(1);
        DemoImage.Archive first = DemoImage.archive(program, List.of("sh", "httpd"), "amd64");
        DemoImage.Archive again = DemoImage.archive(program, List.of("sh", "httpd"), "amd64");
        assertThat(first.id()).isEqualTo(again.id()).startsWith("sha256:");
        assertThat(first.bytes()).isEqualTo(again.bytes());
        assertThat(DemoImage.archive(elf(1, 1), List.of("sh", "httpd"), "amd64").id()).isNotEqualTo(first.id());

        Map<String, byte[]> outer = entries(first.bytes());
        assertThat(new String(outer.get("manifest.json"))).contains("\"RepoTags\":[\"stevedore/busybox:latest\"]");
        Map<String, TarArchiveEntry> layer = new HashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(outer.get("layer.tar")))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                layer.put(e.getName(), e);
            }
        }
        assertThat(layer.get("bin/sh").isSymbolicLink()).isTrue();
        assertThat(layer.get("bin/sh").getLinkName()).isEqualTo("busybox");
        assertThat(layer.get("bin/busybox").getMode() & 0777).isEqualTo(0755);
        assertThat(layer.get("tmp/").getMode() & 07777).isEqualTo(01777);
        assertThat(layer).containsKeys("var/www/index.html", "etc/passwd");
    }

    @Test
    void engineArchitecturesAreSpelledAsImagesSpellThem() {
        assertThat(DemoImage.architecture("x86_64")).isEqualTo("amd64");
        assertThat(DemoImage.architecture("aarch64")).isEqualTo("arm64");
    }

    private static Map<String, byte[]> entries(byte[] tar) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                files.put(e.getName(), in.readAllBytes());
            }
        }
        return files;
    }

    /** A 64-bit little-endian ELF header followed by program headers of these types. */
    private static byte[] elf(int... programHeaderTypes) {
        ByteBuffer b = ByteBuffer.allocate(64 + 56 * programHeaderTypes.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putLong(0x20, 64).putShort(0x36, (short) 56).putShort(0x38, (short) programHeaderTypes.length);
        for (int i = 0; i < programHeaderTypes.length; i++) {
            b.putInt(64 + 56 * i, programHeaderTypes[i]);
        }
        return b.array();
    }
}
