package dev.stevedore.control.ecs.placement;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.state.Records;
import dev.stevedore.store.Txn;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The jobs of one plan-applier batch, the records their placements write and how each caller is
 * answered, all committed as one transaction. Records are encoded when the transaction is built.
 */
final class PlacementBatch {
    final List<PlanApplier.Pending> jobs = new ArrayList<>();
    private final PlacementObserver observer;
    private final Map<String, Object> puts = new LinkedHashMap<>();
    private final List<String> absent = new ArrayList<>();
    private final Txn.Builder txn = Txn.builder();
    private boolean writesInstances;
    private final List<Runnable> answers = new ArrayList<>();
    private final List<NetworkInterfaces.AddressHold> released = new ArrayList<>();

    PlacementBatch(PlacementObserver observer) {
        this.observer = observer;
    }

    void put(String key, Object record) {
        puts.put(key, record);
    }

    void requireAbsent(String key) {
        absent.add(key);
    }

    /**
     * Gives back a stopped task's address: deletes its claim, its interface record and its
     * attachment index. The address is free for the applier once this batch has landed.
     */
    void release(NetworkInterfaces.AddressHold hold) {
        txn.delete(Ec2Keys.subnetAddress(hold.scope(), hold.subnetId(), hold.address()));
        txn.delete(Ec2Keys.networkInterface(hold.scope(), hold.networkInterfaceId()));
        if (!hold.attachmentId().isEmpty()) {
            txn.delete(EcsKeys.attachment(hold.scope(), hold.attachmentId()));
        }
        released.add(hold);
    }

    List<NetworkInterfaces.AddressHold> released() {
        return released;
    }

    /** An instance record, written only if the instance is still at the store version the view predicts. */
    void writeInstance(String key, long expectedVersion, Object record) {
        txn.requireVersion(key, expectedVersion);
        txn.put(key, Records.encode(record));
        writesInstances = true;
    }

    /** Requires the batch before this one to have landed, and marks this one as landed for the next. */
    void chain(String sequenceKey, long expectedVersion) {
        txn.requireVersion(sequenceKey, expectedVersion);
        txn.put(sequenceKey, Long.toString(expectedVersion + 1).getBytes(StandardCharsets.UTF_8));
    }

    List<String> absentKeys() {
        return absent;
    }

    boolean hasWrites() {
        return writesInstances || !puts.isEmpty() || !absent.isEmpty() || !released.isEmpty();
    }

    void answer(PlanApplier.Pending p, PlacementOutcome outcome) {
        answers.add(() -> {
            if (outcome instanceof PlacementOutcome.Placed placed) {
                observer.tasksPlaced(placed.tasks().size());
                placed.failures().forEach(f -> observer.taskNotPlaced(f.reason() == null ? "UNKNOWN" : f.reason()));
            }
            p.result.complete(outcome);
        });
    }

    void fail(PlanApplier.Pending p, Throwable error) {
        answers.add(() -> {
            observer.jobRefused(error instanceof AwsException e ? e.code() : "InternalError");
            p.result.completeExceptionally(error);
        });
    }

    void answerAll() {
        answers.forEach(Runnable::run);
    }

    Txn txn() {
        absent.forEach(txn::requireAbsent);
        puts.forEach((key, record) -> txn.put(key, Records.encode(record)));
        return txn.build();
    }
}
