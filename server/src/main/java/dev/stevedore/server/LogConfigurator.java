package dev.stevedore.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Stevedore's logging set-up, found by logback through {@code META-INF/services}: one line per event
 * on standard error ({@code 12:00:00.000 INFO  d.s.server.ControlPlane - message}), at the level
 * {@code STEVEDORE_LOG_LEVEL} names (a system property or an environment variable; INFO by default),
 * with Netty and Vert.x at WARN.
 *
 * <p>Configured in code rather than in {@code logback.xml} because reading XML loads about 140 JDK XML
 * classes and logback's Joran on every start, which the agent, running on every host, pays for in
 * resident memory (BENCHMARKS.md). An explicit configuration still wins: with
 * {@code -Dlogback.configurationFile} or a {@code logback-test.xml} on the class path (tests), this
 * steps aside for logback's own configurators.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n";
    static final String LEVEL_VARIABLE = "STEVEDORE_LOG_LEVEL";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        configure(context, name -> Optional.ofNullable(System.getProperty(name)).orElseGet(() -> System.getenv(name)));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** @param variables looks a variable up; answers {@code null} when it is not set */
    static void configure(LoggerContext context, UnaryOperator<String> variables) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("io.vertx").setLevel(Level.WARN);
        // docker-java's HTTP client logs each failed connection at INFO; while `up` waits for Docker
        // that is a line every retry, and the agent says what matters itself.
        context.getLogger("com.github.dockerjava.zerodep.shaded.org.apache.hc").setLevel(Level.WARN);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(variables.apply(LEVEL_VARIABLE), Level.INFO));
        root.addAppender(stderr);
    }
}
