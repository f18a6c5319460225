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
import java.util.List;

/**
 * The bytes of a live key's etcd value and of a log entry. A live key carries our create and mod
 * revisions and version next to its value, because etcd's own numbers count every installation
 * sharing the etcd and cannot give our dense revisions. The first byte is the format, so a later
 * layout can be told apart.
 */
final class RecordCodec {

    private static final byte FORMAT = 1;
    private static final byte PUT = 1;
    private static final byte DELETE = 2;

    private RecordCodec() {}

    static byte[] encodeLive(KeyValue kv) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(kv.valueLength() + 32);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(FORMAT);
            writeNumbers(out, kv);
            out.write(kv.value());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return buffer.toByteArray();
    }

    static KeyValue decodeLive(String key, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            checkFormat(in, key);
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
            out.writeByte(FORMAT);
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
        return buffer.toByteArray();
    }

    static ChangeSet decodeChanges(long revision, byte[] bytes) {
        String what = "log entry " + revision;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            checkFormat(in, what);
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

    private static void checkFormat(DataInputStream in, String what) throws IOException {
        byte format = in.readByte();
        if (format != FORMAT) {
            throw new StoreException("etcd record of " + what + " has format " + format
                    + ", which this Stevedore does not know (written by a newer one?)");
        }
    }

    private static StoreException damaged(String what, IOException e) {
        return new StoreException("the etcd record of " + what + " is damaged", e);
    }
}
