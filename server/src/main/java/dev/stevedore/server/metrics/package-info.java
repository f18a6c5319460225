/**
 * Prometheus metrics through Micrometer: the one place Micrometer is used. The domain modules tell
 * small observer interfaces of their own ({@code awsproto.ApiObserver}, {@code store.StoreObserver},
 * {@code control.ecs.placement.PlacementObserver}, {@code agent.runtime.RuntimeObserver}) or expose
 * counts the registry reads at scrape time; the classes here implement those with meters and answer
 * {@code GET /metrics} in the Prometheus text format 0.0.4.
 */
package dev.stevedore.server.metrics;
