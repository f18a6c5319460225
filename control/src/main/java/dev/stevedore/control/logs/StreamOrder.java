package dev.stevedore.control.logs;

/** How DescribeLogStreams lists a group's streams. */
public enum StreamOrder {
    LOG_STREAM_NAME, LAST_EVENT_TIME
}
