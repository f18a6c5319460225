package dev.stevedore.control.ecs.feed;

import dev.stevedore.control.ecs.EcsScope;

/** A cluster, named by its scope and name: the unit controllers are keyed and sharded by. */
public record ClusterRef(EcsScope scope, String name) {
}
