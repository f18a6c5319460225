package dev.stevedore.server;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code up} last served from a data directory: its endpoint and start-up Region, kept in
 * {@value #FILE_NAME} so that {@code env} and {@code reset} without flags point at the same server
 * {@code up} started, whatever port and Region it was given.
 */
record UpRecord(String endpoint, String region) {
    static final String FILE_NAME = "up.properties";

    /** Replaces the record atomically, so a reader never sees half of it. */
    void write(Path dataDir) {
        DataDirFiles.writeAtomically(dataDir.resolve(FILE_NAME),
                "# Written by `stevedore up` at each start; `stevedore env` reads it.\n"
                        + "endpoint=" + endpoint + "\n"
                        + "region=" + region + "\n");
    }

    /** The record of the last start, if {@code up} has run with this data directory (and recorded it). */
    static Optional<UpRecord> read(Path dataDir) {
        return DataDirFiles.read(dataDir.resolve(FILE_NAME))
                .filter(p -> p.getProperty("endpoint") != null && p.getProperty("region") != null)
                .map(p -> new UpRecord(p.getProperty("endpoint"), p.getProperty("region")));
    }
}
