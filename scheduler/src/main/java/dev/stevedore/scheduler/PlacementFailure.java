package dev.stevedore.scheduler;

import java.util.Objects;

/**
 * A task that could not be placed, shaped like an entry of ECS's {@code failures[]}.
 *
 * <p>Reasons are ECS's strings: {@code RESOURCE:CPU}, {@code RESOURCE:MEMORY},
 * {@code RESOURCE:PORTS}, {@code RESOURCE:PORTS_UDP}, {@code RESOURCE:ENI}, {@code AGENT},
 * {@code ATTRIBUTE}, {@code LOCATION}, {@code MemberOf placement constraint unsatisfied.},
 * {@code DistinctInstance placement constraint unsatisfied.}, {@code INACTIVE} and (from a
 * re-check) {@code MISSING}. Each filter class in {@code dev.stevedore.scheduler.placement}
 * exports its own as {@code REASON}.
 *
 * @param taskIndex which task of the request, from 0
 * @param arn the container instance that came closest to taking the task (ECS's
 *     {@code failures[].arn})
 * @param reason why that instance could not take it
 * @param detail beyond ECS: what each filter rejected, e.g.
 *     {@code 3 instances lacked memory; 2 failed memberOf(attribute:ecs.availability-zone == us-east-1b)}
 */
public record PlacementFailure(int taskIndex, String arn, String reason, String detail) {

    public PlacementFailure {
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
