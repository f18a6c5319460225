package dev.stevedore.store.etcd;

import dev.stevedore.store.ChangeSet;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StoreException;
import dev.stevedore.store.WatchEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The bytes of a live key's etcd value and of a log entry. A live key carries our create and mod
 * revisions and version next to its value, because etcd's own numbers count every installation
 * sharing the etcd and cannot give our dense revisions. The first byte is the format, so a later
 * layout can be told apart: {@value #PLAIN} the record as it is, {@value #DEFLATED} its length and
 * the record deflated. Every byte written passes through Raft, three fsyncs and etcd's never
 * compacted history, and the records are mostly JSON, which deflates to a fraction (measured in
 * BENCHMARKS.md, "Placement at scale on etcd").
 */
final class RecordCodec {

    private static final byte PLAIN = 1;
    private static final byte DEFLATED = 2;
    /** Below this a record is written plain: deflating saves too little to pay for itself. */
    private static final int DEFLATE_FROM_BYTES = 128;
    /** One deflater and inflater per thread: making one allocates zlib's tables, too dear per record. */
    private static final ThreadLocal<Deflater> DEFLATER = ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_SPEED, true));
    private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(() -> new Inflater(true));
    private static final byte PUT = 1;
    private static final byte DELETE = 2;

    private RecordCodec() {}

    static byte[] encodeLive(KeyValue kv) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(kv.valueLength() + 32);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            writeNumbers(out, kv);
            out.write(kv.value());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return framed(buffer.toByteArray());
    }

    static KeyValue decodeLive(String key, byte[] bytes) {
        try (DataInputStream in = unframed(bytes, key)) {
            long create = in.readLong();
            long mod = in.readLong();
            long version = in.readLong();
            return new KeyValue(key, in.readAllBytes(), create, mod, version);
        } catch (IOException e) {
            throw damaged(key, e);
        }
    }

    static byte[] encodeChanges(ChangeSet changes) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(changes.events().size());
            for (WatchEvent event : changes.events()) {
                KeyValue kv = event.kv();
                out.writeByte(event.type() == WatchEvent.Type.PUT ? PUT : DELETE);
                writeBytes(out, kv.key().getBytes(StandardCharsets.UTF_8));
                if (event.type() == WatchEvent.Type.PUT) {
                    writeNumbers(out, kv);
                    writeBytes(out, kv.value());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return framed(buffer.toByteArray());
    }

    static ChangeSet decodeChanges(long revision, byte[] bytes) {
        String what = "log entry " + revision;
        try (DataInputStream in = unframed(bytes, what)) {
            int count = in.readInt();
            List<WatchEvent> events = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte type = in.readByte();
                String key = new String(readBytes(in), StandardCharsets.UTF_8);
                if (type == PUT) {
                    long create = in.readLong();
                    long mod = in.readLong();
                    long version = in.readLong();
                    events.add(new WatchEvent(WatchEvent.Type.PUT,
                            new KeyValue(key, readBytes(in), create, mod, version), revision));
                } else {
                    events.add(new WatchEvent(WatchEvent.Type.DELETE,
                            new KeyValue(key, new byte[0], 0, revision, 0), revision));
                }
            }
            return new ChangeSet(revision, events);
        } catch (IOException e) {
            throw damaged(what, e);
        }
    }

    private static void writeNumbers(DataOutputStream out, KeyValue kv) throws IOException {
        out.writeLong(kv.createRevision());
        out.writeLong(kv.modRevision());
        out.writeLong(kv.version());
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }

    /** The format byte and the record, deflated when that makes it smaller. */
    private static byte[] framed(byte[] record) {
        if (record.length >= DEFLATE_FROM_BYTES) {
            Deflater deflater = DEFLATER.get();
            deflater.reset();
            deflater.setInput(record);
            deflater.finish();
            byte[] out = new byte[5 + record.length];
            int length = 5;
            while (!deflater.finished() && length < out.length) {
                length += deflater.deflate(out, length, out.length - length);
            }
            if (deflater.finished() && length < out.length) {
                out[0] = DEFLATED;
                out[1] = (byte) (record.length >>> 24);
                out[2] = (byte) (record.length >>> 16);
                out[3] = (byte) (record.length >>> 8);
                out[4] = (byte) record.length;
                return Arrays.copyOf(out, length);
            }
        }
        byte[] out = new byte[1 + record.length];
        out[0] = PLAIN;
        System.arraycopy(record, 0, out, 1, record.length);
        return out;
    }

    /** The record inside {@code bytes}, inflated if need be. */
    private static DataInputStream unframed(byte[] bytes, String what) throws IOException {
        if (bytes.length == 0) {
            throw new IOException("empty");
        }
        return switch (bytes[0]) {
            case PLAIN -> new DataInputStream(new ByteArrayInputStream(bytes, 1, bytes.length - 1));
            case DEFLATED -> new DataInputStream(new ByteArrayInputStream(inflated(bytes)));
            default -> throw new StoreException("etcd record of " + what + " has format " + bytes[0]
                    + ", which this Stevedore does not know (written by a newer one?)");
        };
    }

    private static byte[] inflated(byte[] bytes) throws IOException {
        if (bytes.length < 5) {
            throw new IOException("cut short");
        }
        int length = ((bytes[1] & 0xff) << 24) | ((bytes[2] & 0xff) << 16) | ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff);
        if (length < 0) {
            throw new IOException("negative length");
        }
        Inflater inflater = INFLATER.get();
        inflater.reset();
        inflater.setInput(bytes, 5, bytes.length - 5);
        byte[] record = new byte[length];
        try {
            int filled = 0;
            while (filled < length) {
                int n = inflater.inflate(record, filled, length - filled);
                if (n == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                filled += n;
            }
            if (filled != length || !inflater.finished()) {
                throw new IOException("inflates to other than its " + length + " bytes");
            }
        } catch (DataFormatException e) {
            throw new IOException(e);
        }
        return record;
    }

    private static StoreException damaged(String what, IOException e) {
        return new StoreException("the etcd record of " + what + " is damaged", e);
    }
}
