package dev.stevedore.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class LogConfiguratorTest {

    @Test
    void logbackFindsItAsAService() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .contains(LogConfigurator.class);
    }

    @Test
    void oneLinePerEventOnStandardErrorAtInfoWithNettyAndVertxAtWarn() {
        LoggerContext context = new LoggerContext();
        LogConfigurator.configure(context, name -> null);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.vertx").getLevel()).isEqualTo(Level.WARN);
        ConsoleAppender<ILoggingEvent> appender = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDERR");
        assertThat(appender.getTarget()).isEqualTo("System.err");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(),
                context.getLogger("dev.stevedore.server.ControlPlane"), Level.INFO, "listening on {}", null,
                new Object[] {9400});
        String line = new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);
        assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  d\\.s\\.server\\.ControlPlane - listening on 9400\\R");
    }

    @Test
    void stevedoreLogLevelSetsTheLevel() {
        LoggerContext context = new LoggerContext();
        LogConfigurator.configure(context, Map.of(LogConfigurator.LEVEL_VARIABLE, "DEBUG")::get);

        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
    }
}
