package dev.stevedore.agent.engine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A minimal writer of uncompressed ustar archives: regular files owned by root, in memory. */
final class TarArchive {

    private static final int BLOCK = 512;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Adds a regular file; {@code name} is at most 100 ASCII characters. */
    TarArchive file(String name, int mode, byte[] content) {
        if (name.length() > 100) {
            throw new IllegalArgumentException("tar names are at most 100 characters: " + name);
        }
        byte[] header = new byte[BLOCK];
        put(header, 0, name);
        put(header, 100, String.format("%07o\0", mode));
        put(header, 108, "0000000\0");
        put(header, 116, "0000000\0");
        put(header, 124, String.format("%011o\0", content.length));
        put(header, 136, "00000000000\0");
        header[156] = '0';
        put(header, 257, "ustar\0");
        put(header, 263, "00");
        // The checksum is the sum of the header's bytes with its own field read as spaces.
        Arrays.fill(header, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o\0 ", sum));
        out.writeBytes(header);
        out.writeBytes(content);
        out.writeBytes(new byte[(BLOCK - content.length % BLOCK) % BLOCK]);
        return this;
    }

    TarArchive file(String name, String content) {
        return file(name, 0644, content.getBytes(StandardCharsets.UTF_8));
    }

    /** The archive, ended by its two empty blocks. */
    byte[] bytes() {
        ByteArrayOutputStream done = new ByteArrayOutputStream();
        done.writeBytes(out.toByteArray());
        done.writeBytes(new byte[2 * BLOCK]);
        return done.toByteArray();
    }

    private static void put(byte[] block, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, block, offset, bytes.length);
    }
}
