package dev.stevedore.control.logs.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.control.logs.EventPosition;
import dev.stevedore.control.logs.LogGroupRow;
import dev.stevedore.control.logs.LogStore;
import dev.stevedore.control.logs.LogStreamRow;
import dev.stevedore.control.logs.LogsScope;
import dev.stevedore.control.logs.NewLogEvent;
import dev.stevedore.control.logs.StoredLogEvent;
import dev.stevedore.control.logs.StreamOrder;
import dev.stevedore.control.logs.StreamQuery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.UnaryOperator;

/**
 * The {@link LogStore} in a SQLite file of its own ({@code logs.db}), in WAL mode with
 * {@code synchronous=FULL}: a write is on disk before its method returns. All writes go through one
 * {@link GroupCommitWriter}, reads through a small pool of connections that see the last commit.
 *
 * <p>Events are one row each, numbered in ingestion order; two indexes, (stream, timestamp) and
 * (group, timestamp), each ending in that number, make GetLogEvents and FilterLogEvents range scans
 * in the order they answer in.
 */
public final class SqliteLogStore implements LogStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int READERS = 4;
    private static final String GROUP_COLUMNS =
            "g.id, g.account, g.region, g.name, g.created, g.retention, g.tags, "
                    + "(SELECT coalesce(sum(s.stored_bytes), 0) FROM streams s WHERE s.group_id = g.id)";
    private static final String STREAM_COLUMNS =
            "id, group_id, name, created, first_ts, last_ts, last_ingested, stored_bytes";
    private static final String EVENT_COLUMNS = "id, stream_id, ts, ingested, message";

    private final Path file;
    private final boolean temporary;
    private final GroupCommitWriter writer;
    private final List<Db> allReaders = new ArrayList<>();
    private final BlockingQueue<Db> readers = new ArrayBlockingQueue<>(READERS);

    private SqliteLogStore(Path file, boolean temporary) throws SQLException {
        this.file = file;
        this.temporary = temporary;
        this.writer = new GroupCommitWriter(new Db(LogDatabaseFile.writer(file)), "stevedore-logs-writer");
        for (int i = 0; i < READERS; i++) {
            Db db = new Db(LogDatabaseFile.reader(file));
            allReaders.add(db);
            readers.add(db);
        }
    }

    /** Opens (creating if absent) the log database at {@code file}. */
    public static SqliteLogStore open(Path file) {
        try {
            return new SqliteLogStore(file, false);
        } catch (SQLException e) {
            throw new LogStoreException("cannot open log store " + file, e);
        }
    }

    /** A log database in a temporary file, deleted on close: for a control plane without a data directory. */
    public static SqliteLogStore temporary() {
        try {
            Path dir = Files.createTempDirectory("stevedore-logs");
            return new SqliteLogStore(dir.resolve("logs.db"), true);
        } catch (IOException e) {
            throw new LogStoreException("cannot make a temporary log store", e);
        } catch (SQLException e) {
            throw new LogStoreException("cannot open a temporary log store", e);
        }
    }

    /** The database file (a temporary store's is gone once it is closed). */
    public Path file() {
        return file;
    }

    // ---- groups

    @Override
    public Optional<LogGroupRow> createGroup(LogsScope scope, String name, long creationTime, Map<String, String> tags) {
        return writer.write(db -> {
            PreparedStatement insert = db.prepare("INSERT INTO groups (account, region, name, created, retention, tags) "
                    + "VALUES (?, ?, ?, ?, NULL, ?) ON CONFLICT DO NOTHING");
            insert.setString(1, scope.accountId());
            insert.setString(2, scope.region());
            insert.setString(3, name);
            insert.setLong(4, creationTime);
            insert.setString(5, tagsJson(tags));
            if (insert.executeUpdate() == 0) {
                return Optional.<LogGroupRow>empty();
            }
            return readGroup(db, scope, name);
        });
    }

    @Override
    public boolean deleteGroup(LogsScope scope, String name) {
        return writer.write(db -> {
            Optional<LogGroupRow> group = readGroup(db, scope, name);
            if (group.isEmpty()) {
                return false;
            }
            // The events stay behind, unreachable (every read goes through a live group or stream), and are
            // purged in batches later: deleting millions of rows here would hold every other write back.
            long id = group.get().id();
            update(db, "INSERT INTO deleted_groups (id) VALUES (?)", id);
            update(db, "DELETE FROM streams WHERE group_id = ?", id);
            update(db, "DELETE FROM groups WHERE id = ?", id);
            return true;
        });
    }

    @Override
    public Optional<LogGroupRow> group(LogsScope scope, String name) {
        return read(db -> readGroup(db, scope, name));
    }

    @Override
    public List<LogGroupRow> groups(LogsScope scope, String prefix, String substring, String afterName, int limit) {
        return read(db -> {
            // The prefix as a range of names (>= prefix, < prefix with its last character raised), so the
            // unique index answers it; GLOB would need its wildcards escaped in names.
            PreparedStatement query = db.prepare("SELECT " + GROUP_COLUMNS + " FROM groups g "
                    + "WHERE g.account = ? AND g.region = ? AND g.name > ? AND g.name >= ? AND g.name < ? "
                    + "AND instr(lower(g.name), lower(?)) > 0 ORDER BY g.name LIMIT ?");
            query.setString(1, scope.accountId());
            query.setString(2, scope.region());
            query.setString(3, afterName);
            query.setString(4, prefix);
            query.setString(5, prefixEnd(prefix));
            query.setString(6, substring);
            query.setInt(7, limit);
            return groupRows(query);
        });
    }

    @Override
    public List<LogGroupRow> groupsWithRetention() {
        return read(db -> groupRows(db.prepare("SELECT " + GROUP_COLUMNS
                + " FROM groups g WHERE g.retention IS NOT NULL ORDER BY g.id")));
    }

    @Override
    public boolean setRetention(LogsScope scope, String name, OptionalInt retentionDays) {
        return writer.write(db -> {
            PreparedStatement update = db.prepare(
                    "UPDATE groups SET retention = ? WHERE account = ? AND region = ? AND name = ?");
            if (retentionDays.isPresent()) {
                update.setInt(1, retentionDays.getAsInt());
            } else {
                update.setNull(1, java.sql.Types.INTEGER);
            }
            update.setString(2, scope.accountId());
            update.setString(3, scope.region());
            update.setString(4, name);
            return update.executeUpdate() > 0;
        });
    }

    @Override
    public Optional<Map<String, String>> updateTags(LogsScope scope, String name,
                                                    UnaryOperator<Map<String, String>> change) {
        return writer.write(db -> {
            Optional<LogGroupRow> group = readGroup(db, scope, name);
            if (group.isEmpty()) {
                return Optional.<Map<String, String>>empty();
            }
            Map<String, String> tags = Collections.unmodifiableMap(new TreeMap<>(change.apply(group.get().tags())));
            PreparedStatement update = db.prepare("UPDATE groups SET tags = ? WHERE id = ?");
            update.setString(1, tagsJson(tags));
            update.setLong(2, group.get().id());
            update.executeUpdate();
            return Optional.of(tags);
        });
    }

    private static Optional<LogGroupRow> readGroup(Db db, LogsScope scope, String name) throws SQLException {
        PreparedStatement query = db.prepare("SELECT " + GROUP_COLUMNS
                + " FROM groups g WHERE g.account = ? AND g.region = ? AND g.name = ?");
        query.setString(1, scope.accountId());
        query.setString(2, scope.region());
        query.setString(3, name);
        return groupRows(query).stream().findFirst();
    }

    private static List<LogGroupRow> groupRows(PreparedStatement query) throws SQLException {
        List<LogGroupRow> rows = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                int retention = rs.getInt(6);
                OptionalInt retentionDays = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(retention);
                rows.add(new LogGroupRow(rs.getLong(1), new LogsScope(rs.getString(2), rs.getString(3)),
                        rs.getString(4), rs.getLong(5), retentionDays, parseTags(rs.getString(7)), rs.getLong(8)));
            }
        }
        return rows;
    }

    // ---- streams

    @Override
    public Optional<LogStreamRow> createStream(long groupId, String name, long creationTime) {
        return writer.write(db -> {
            PreparedStatement insert = db.prepare("INSERT INTO streams (group_id, name, created, stored_bytes) "
                    + "SELECT id, ?, ?, 0 FROM groups WHERE id = ? ON CONFLICT DO NOTHING");
            insert.setString(1, name);
            insert.setLong(2, creationTime);
            insert.setLong(3, groupId);
            if (insert.executeUpdate() == 0) {
                return Optional.<LogStreamRow>empty();
            }
            return readStream(db, groupId, name);
        });
    }

    @Override
    public boolean deleteStream(long groupId, String name) {
        return writer.write(db -> {
            Optional<LogStreamRow> stream = readStream(db, groupId, name);
            if (stream.isEmpty()) {
                return false;
            }
            update(db, "DELETE FROM events WHERE stream_id = ?", stream.get().id());
            update(db, "DELETE FROM streams WHERE id = ?", stream.get().id());
            return true;
        });
    }

    @Override
    public Optional<LogStreamRow> stream(long groupId, String name) {
        return read(db -> readStream(db, groupId, name));
    }

    @Override
    public List<LogStreamRow> streams(long groupId, StreamQuery q) {
        return read(db -> {
            String direction = q.descending() ? "DESC" : "ASC";
            String after = q.descending() ? "<" : ">";
            PreparedStatement query;
            if (q.order() == StreamOrder.LOG_STREAM_NAME) {
                query = db.prepare("SELECT " + STREAM_COLUMNS + " FROM streams WHERE group_id = ? "
                        + "AND name >= ? AND name < ? " + (q.after().isPresent() ? "AND name " + after + " ? " : "")
                        + "ORDER BY name " + direction + " LIMIT ?");
                int i = 1;
                query.setLong(i++, groupId);
                query.setString(i++, q.prefix());
                query.setString(i++, prefixEnd(q.prefix()));
                if (q.after().isPresent()) {
                    query.setString(i++, q.after().get().name());
                }
                query.setInt(i, q.limit());
            } else {
                // A stream without events sorts as time 0, before every stream that has some.
                query = db.prepare("SELECT " + STREAM_COLUMNS + " FROM streams WHERE group_id = ? "
                        + (q.after().isPresent() ? "AND (coalesce(last_ts, 0), name) " + after + " (?, ?) " : "")
                        + "ORDER BY coalesce(last_ts, 0) " + direction + ", name " + direction + " LIMIT ?");
                int i = 1;
                query.setLong(i++, groupId);
                if (q.after().isPresent()) {
                    query.setLong(i++, q.after().get().lastEventTime());
                    query.setString(i++, q.after().get().name());
                }
                query.setInt(i, q.limit());
            }
            return streamRows(query);
        });
    }

    @Override
    public Optional<String> streamName(long streamId) {
        return read(db -> streamById(db, streamId).map(LogStreamRow::name));
    }

    private static Optional<LogStreamRow> readStream(Db db, long groupId, String name) throws SQLException {
        PreparedStatement query = db.prepare("SELECT " + STREAM_COLUMNS + " FROM streams WHERE group_id = ? AND name = ?");
        query.setLong(1, groupId);
        query.setString(2, name);
        return streamRows(query).stream().findFirst();
    }

    private static List<LogStreamRow> streamRows(PreparedStatement query) throws SQLException {
        List<LogStreamRow> rows = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                rows.add(new LogStreamRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4),
                        optionalLong(rs, 5), optionalLong(rs, 6), optionalLong(rs, 7), rs.getLong(8)));
            }
        }
        return rows;
    }

    // ---- events

    @Override
    public Optional<LogStreamRow> append(long streamId, List<NewLogEvent> events, long ingestionTime) {
        if (events.isEmpty()) {
            return read(db -> streamById(db, streamId));
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long bytes = 0;
        for (NewLogEvent event : events) {
            first = Math.min(first, event.timestamp());
            last = Math.max(last, event.timestamp());
            bytes += event.message().getBytes(StandardCharsets.UTF_8).length;
        }
        long firstTs = first;
        long lastTs = last;
        long storedBytes = bytes;
        return writer.write(db -> {
            PreparedStatement stream = db.prepare("UPDATE streams SET first_ts = min(coalesce(first_ts, ?), ?), "
                    + "last_ts = max(coalesce(last_ts, ?), ?), last_ingested = ?, stored_bytes = stored_bytes + ? "
                    + "WHERE id = ?");
            stream.setLong(1, firstTs);
            stream.setLong(2, firstTs);
            stream.setLong(3, lastTs);
            stream.setLong(4, lastTs);
            stream.setLong(5, ingestionTime);
            stream.setLong(6, storedBytes);
            stream.setLong(7, streamId);
            if (stream.executeUpdate() == 0) {
                return Optional.<LogStreamRow>empty();
            }
            Optional<LogStreamRow> updated = streamById(db, streamId);
            long groupId = updated.orElseThrow().groupId();
            PreparedStatement insert = db.prepare(
                    "INSERT INTO events (stream_id, group_id, ts, ingested, message) VALUES (?, ?, ?, ?, ?)");
            for (NewLogEvent event : events) {
                insert.setLong(1, streamId);
                insert.setLong(2, groupId);
                insert.setLong(3, event.timestamp());
                insert.setLong(4, ingestionTime);
                insert.setString(5, event.message());
                insert.addBatch();
            }
            insert.executeBatch();
            return updated;
        });
    }

    private static Optional<LogStreamRow> streamById(Db db, long streamId) throws SQLException {
        PreparedStatement query = db.prepare("SELECT " + STREAM_COLUMNS + " FROM streams WHERE id = ?");
        query.setLong(1, streamId);
        return streamRows(query).stream().findFirst();
    }

    @Override
    public List<StoredLogEvent> streamEvents(long streamId, long from, long to, EventPosition position,
                                             boolean forward, int limit) {
        return read(db -> {
            // The position narrows the timestamp range itself, so that the index range starts (or ends) at it;
            // a row-value comparison beside "ts >= from" would leave SQLite scanning from "from".
            PreparedStatement query;
            if (forward) {
                query = db.prepare("SELECT " + EVENT_COLUMNS + " FROM events INDEXED BY events_by_stream "
                        + "WHERE stream_id = ? AND ts >= ? AND ts < ? AND (ts > ? OR id > ?) ORDER BY ts, id LIMIT ?");
                query.setLong(2, Math.max(from, position.timestamp()));
                query.setLong(3, to);
            } else {
                query = db.prepare("SELECT " + EVENT_COLUMNS + " FROM events INDEXED BY events_by_stream "
                        + "WHERE stream_id = ? AND ts >= ? AND ts <= ? AND (ts < ? OR id < ?) "
                        + "ORDER BY ts DESC, id DESC LIMIT ?");
                query.setLong(2, from);
                query.setLong(3, Math.min(to - 1, position.timestamp()));
            }
            query.setLong(1, streamId);
            query.setLong(4, position.timestamp());
            query.setLong(5, position.id());
            query.setInt(6, limit);
            List<StoredLogEvent> events = eventRows(query);
            if (!forward) {
                Collections.reverse(events);
            }
            return events;
        });
    }

    @Override
    public List<StoredLogEvent> groupEvents(long groupId, Optional<Set<Long>> streamIds, long from, long to,
                                            EventPosition after, int limit) {
        return read(db -> {
            String streams = streamIds.map(ids -> " AND stream_id IN (" + "?,".repeat(ids.size() - 1) + "?)").orElse("");
            PreparedStatement query = db.prepare("SELECT " + EVENT_COLUMNS + " FROM events INDEXED BY events_by_group "
                    + "WHERE group_id = ? AND ts >= ? AND ts < ? AND (ts > ? OR id > ?)" + streams
                    + " ORDER BY ts, id LIMIT ?");
            int i = 1;
            query.setLong(i++, groupId);
            query.setLong(i++, Math.max(from, after.timestamp()));
            query.setLong(i++, to);
            query.setLong(i++, after.timestamp());
            query.setLong(i++, after.id());
            for (long id : streamIds.orElse(Set.of())) {
                query.setLong(i++, id);
            }
            query.setInt(i, limit);
            return eventRows(query);
        });
    }

    @Override
    public int deleteEventsBefore(long groupId, long cutoff, int max) {
        return writer.write(db -> {
            PreparedStatement select = db.prepare("SELECT id, stream_id, length(CAST(message AS BLOB)) FROM events "
                    + "INDEXED BY events_by_group WHERE group_id = ? AND ts < ? ORDER BY ts LIMIT ?");
            select.setLong(1, groupId);
            select.setLong(2, cutoff);
            select.setInt(3, max);
            Map<Long, Long> bytesByStream = new HashMap<>();
            PreparedStatement delete = db.prepare("DELETE FROM events WHERE id = ?");
            int count = 0;
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    delete.setLong(1, rs.getLong(1));
                    delete.addBatch();
                    bytesByStream.merge(rs.getLong(2), rs.getLong(3), Long::sum);
                    count++;
                }
            }
            if (count == 0) {
                return 0;
            }
            delete.executeBatch();
            PreparedStatement stream = db.prepare("UPDATE streams SET stored_bytes = max(stored_bytes - ?, 0), "
                    + "first_ts = coalesce((SELECT min(ts) FROM events WHERE stream_id = ?), first_ts) WHERE id = ?");
            for (Map.Entry<Long, Long> entry : bytesByStream.entrySet()) {
                stream.setLong(1, entry.getValue());
                stream.setLong(2, entry.getKey());
                stream.setLong(3, entry.getKey());
                stream.addBatch();
            }
            stream.executeBatch();
            return count;
        });
    }

    @Override
    public int purgeDeletedGroups(int max) {
        return writer.write(db -> {
            int purged = 0;
            List<Long> deleted = new ArrayList<>();
            try (ResultSet rs = db.prepare("SELECT id FROM deleted_groups").executeQuery()) {
                while (rs.next()) {
                    deleted.add(rs.getLong(1));
                }
            }
            for (long id : deleted) {
                PreparedStatement delete = db.prepare("DELETE FROM events WHERE id IN "
                        + "(SELECT id FROM events INDEXED BY events_by_group WHERE group_id = ? LIMIT ?)");
                delete.setLong(1, id);
                delete.setInt(2, max - purged);
                int count = delete.executeUpdate();
                purged += count;
                if (purged >= max) {
                    break;
                }
                update(db, "DELETE FROM deleted_groups WHERE id = ?", id);
            }
            return purged;
        });
    }

    private static List<StoredLogEvent> eventRows(PreparedStatement query) throws SQLException {
        List<StoredLogEvent> rows = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                rows.add(new StoredLogEvent(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5)));
            }
        }
        return rows;
    }

    // ---- plumbing

    private <T> T read(GroupCommitWriter.Work<T> work) {
        Db db;
        try {
            db = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading logs", e);
        }
        try {
            return work.run(db);
        } catch (SQLException e) {
            throw new LogStoreException("log store read failed", e);
        } finally {
            readers.add(db);
        }
    }

    private static void update(Db db, String sql, long id) throws SQLException {
        PreparedStatement statement = db.prepare(sql);
        statement.setLong(1, id);
        statement.executeUpdate();
    }

    /** The first string after every string that starts with {@code prefix} ("" for no prefix: after all). */
    private static String prefixEnd(String prefix) {
        if (prefix.isEmpty()) {
            return "\uDBFF\uDFFF\uDBFF\uDFFF";
        }
        return prefix + "\uDBFF\uDFFF\uDBFF\uDFFF";
    }

    private static OptionalLong optionalLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private static String tagsJson(Map<String, String> tags) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(tags));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> parseTags(String json) {
        try {
            return JSON.readValue(json, new TypeReference<TreeMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new LogStoreException("unreadable tags in the log store", e);
        }
    }

    @Override
    public void close() {
        writer.close();
        for (Db db : allReaders) {
            db.close();
        }
        if (temporary) {
            for (String suffix : List.of("", "-wal", "-shm")) {
                try {
                    Files.deleteIfExists(Path.of(file + suffix));
                } catch (IOException e) {
                    // a temporary file left behind is the temp directory's to clean
                }
            }
            try {
                Files.deleteIfExists(file.getParent());
            } catch (IOException e) {
                // as above
            }
        }
    }
}
