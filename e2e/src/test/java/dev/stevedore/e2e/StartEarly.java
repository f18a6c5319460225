package dev.stevedore.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A class that takes minutes by itself (one of the longest of the module in CI): {@link EngineAloneClassesFirst}
 * offers it to the worker threads right after the engine-alone classes, so that it runs while short classes
 * fill the other threads instead of running on alone after them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@interface StartEarly {
}
