package dev.stevedore.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code stevedore} command line.
 */
@Command(name = "stevedore",
        mixinStandardHelpOptions = true,
        versionProvider = StevedoreCommand.Version.class,
        description = "A self-hosted container orchestrator that speaks the Amazon ECS API.",
        subcommands = {UpCommand.class, AgentCommand.class, LbCommand.class, EnvCommand.class, ResetCommand.class, TokenCommand.class,
                StoreCommand.class,
                CommandLine.HelpCommand.class})
public final class StevedoreCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StevedoreCommand()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The version stamped into the jar by the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = StevedoreCommand.class.getPackage().getImplementationVersion();
            return new String[] {"stevedore " + (v == null ? "(development build)" : v)};
        }
    }
}
