package dev.stevedore.e2e;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

import java.util.Comparator;

/**
 * The order in which the classes are offered to JUnit's worker threads (see {@code junit-platform.properties}):
 * first those that need the Docker engine to themselves ({@link UsesDockerEngineAlone}), then the
 * {@link StartEarly} ones, then the rest, each by name.
 *
 * <p>The engine-alone classes are the module's critical path: each runs beside no other engine class, so
 * their times add up. Offered first, they run one after another from the start while the other threads
 * take other classes (a worker skips a class whose lock it cannot take for the next one); the minutes-long
 * classes start next, and what is left at the end is short classes that share out evenly. In the discovery
 * order an engine-alone class, or a long class, could come last and run with the other threads idle.
 * Engine-sharing and API-only classes stay mixed after them, so that the end of the run is not three
 * classes of containers at once.
 */
public final class EngineAloneClassesFirst implements ClassOrderer {
    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparing((ClassDescriptor d) -> !d.isAnnotated(UsesDockerEngineAlone.class))
                .thenComparing(d -> !d.isAnnotated(StartEarly.class))
                .thenComparing(d -> d.getTestClass().getName()));
    }
}
