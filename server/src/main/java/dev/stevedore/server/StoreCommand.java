package dev.stevedore.server;

import dev.stevedore.store.SqliteStateStore;
import dev.stevedore.store.StateStore;
import dev.stevedore.store.StoreException;
import dev.stevedore.store.etcd.EtcdLocation;
import dev.stevedore.store.etcd.EtcdStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stevedore store migrate}: moves the embedded state store into etcd. */
@Command(name = "store",
        mixinStandardHelpOptions = true,
        subcommands = {StoreCommand.Migrate.class},
        description = "The state store.")
final class StoreCommand implements Runnable {

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "name a subcommand: migrate");
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = {"Copy the embedded store (a stopped Stevedore's <data-dir>/state.db) into etcd: every key "
                    + "with its revisions and version, at the same store revision; the history is not copied. "
                    + "The etcd prefix must be empty. Then start `up --store` with the same etcd address and "
                    + "the same --data-dir (the identity key that seals secrets stays there)."})
    static final class Migrate implements Callable<Integer> {
        @Option(names = "--from", paramLabel = "FILE", required = true,
                description = "The SQLite store file, e.g. ~/.stevedore/state.db; the Stevedore using it must be stopped.")
        Path from;

        @Option(names = "--to", paramLabel = "ADDRESS", required = true,
                description = "etcd://host:port[,host:port...][/prefix] (default prefix /stevedore).")
        String to;

        @Override
        public Integer call() {
            EtcdLocation destination;
            try {
                destination = EtcdLocation.parse(to);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
            }
            if (!Files.isRegularFile(from)) {
                // Opening would create an empty store there, and copying nothing is not what was asked.
                System.err.println("stevedore store migrate: no store file at " + from);
                return 1;
            }
            try (StateStore source = SqliteStateStore.open(from)) {
                long revision = source.currentRevision();
                int keys = source.range("").size();
                EtcdStateStore.copy(source, destination);
                System.out.println("Copied " + keys + " keys at revision " + revision + " from " + from + " to "
                        + destination + ".");
                return 0;
            } catch (StoreException e) {
                System.err.println("stevedore store migrate: " + e.getMessage());
                return 1;
            }
        }
    }
}
