/**
 * The ECS cluster query language: {@link dev.stevedore.scheduler.query.ClusterQuery#parse parse}
 * an expression once, then {@link dev.stevedore.scheduler.query.ClusterQuery#matches match} it
 * against any {@link dev.stevedore.scheduler.query.QueryTarget}. Depends on nothing but the JDK.
 */
package dev.stevedore.scheduler.query;
