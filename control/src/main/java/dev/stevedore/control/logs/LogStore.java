package dev.stevedore.control.logs;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Where log groups, streams and events live: a store made for volume, apart from the control plane's
 * key space. Every write is durable when the method returns. Methods that name something that does not
 * exist (any more) answer empty or {@code false} rather than throw: the API decides what to say.
 */
public interface LogStore extends AutoCloseable {

    /** The new group, or empty when the scope has a group of that name already. */
    Optional<LogGroupRow> createGroup(LogsScope scope, String name, long creationTime, Map<String, String> tags);

    /**
     * Deletes the group with its streams; its events are unreachable at once and gone after
     * {@link #purgeDeletedGroups}. {@code false} when there was none.
     */
    boolean deleteGroup(LogsScope scope, String name);

    Optional<LogGroupRow> group(LogsScope scope, String name);

    /**
     * The scope's groups in name order, after {@code afterName} ("" for the first), at most {@code limit}.
     *
     * @param prefix    names starting with this ("" for all)
     * @param substring names containing this, ignoring case ("" for all)
     */
    List<LogGroupRow> groups(LogsScope scope, String prefix, String substring, String afterName, int limit);

    /** Every group that has a retention policy, in every scope: what the retention sweep visits. */
    List<LogGroupRow> groupsWithRetention();

    /** Sets or (empty) removes the group's retention; {@code false} when there is no such group. */
    boolean setRetention(LogsScope scope, String name, OptionalInt retentionDays);

    /** Replaces the group's tags with what {@code change} makes of them; the new tags, or empty without the group. */
    Optional<Map<String, String>> updateTags(LogsScope scope, String name,
                                             UnaryOperator<Map<String, String>> change);

    /** The new stream, or empty when the group has a stream of that name already or the group is gone. */
    Optional<LogStreamRow> createStream(long groupId, String name, long creationTime);

    /** Deletes the stream with its events; {@code false} when there was none. */
    boolean deleteStream(long groupId, String name);

    Optional<LogStreamRow> stream(long groupId, String name);

    /** The name of a stream by its number; empty once it is deleted. */
    Optional<String> streamName(long streamId);

    /** A page of the group's streams, as {@link StreamQuery} says. */
    List<LogStreamRow> streams(long groupId, StreamQuery query);

    /**
     * Stores events (in the order given) in the stream, all ingested at {@code ingestionTime}, and
     * updates the stream's event times and size; the stream as it is afterwards, or empty when it no
     * longer exists (nothing stored then).
     */
    Optional<LogStreamRow> append(long streamId, List<NewLogEvent> events, long ingestionTime);

    /**
     * Events of one stream with {@code from <= timestamp < to}, in order, past {@code position}
     * ({@code forward}) or before it (backward: the ones nearest to it, still returned in ascending order).
     */
    List<StoredLogEvent> streamEvents(long streamId, long from, long to, EventPosition position, boolean forward,
                                      int limit);

    /**
     * Events of a group's streams (all when {@code streamIds} is empty) with {@code from <= timestamp < to},
     * in order, after {@code after}: at most {@code limit}, the raw material FilterLogEvents filters.
     */
    List<StoredLogEvent> groupEvents(long groupId, Optional<Set<Long>> streamIds, long from, long to,
                                     EventPosition after, int limit);

    /** Deletes at most {@code max} of the group's events older than {@code cutoff}; how many it deleted. */
    int deleteEventsBefore(long groupId, long cutoff, int max);

    /** Deletes at most {@code max} events of deleted groups; how many it deleted. */
    int purgeDeletedGroups(int max);

    @Override
    void close();
}
