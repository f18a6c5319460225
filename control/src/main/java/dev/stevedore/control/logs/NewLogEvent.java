package dev.stevedore.control.logs;

/** An event PutLogEvents accepted, about to be stored. */
public record NewLogEvent(long timestamp, String message) {
}
