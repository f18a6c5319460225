package dev.stevedore.control.ecs.placement;

import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plan applier's private addresses, for Fargate tasks and for awsvpc tasks on a cluster's own
 * instances alike: a view per subnet of the addresses that are claimed (read from the store at its
 * first use), the interfaces given to tasks placed in a batch, and the addresses of stopped tasks
 * still to be given back. An address given back is handed out again only once the batch that
 * deletes its claim has landed. Owned by the applier's thread.
 */
final class AddressBook {
    private final StateStore store;
    /** The views of subnets' addresses, by scope and subnet id; dropped with the cluster views. */
    private final Map<String, SubnetAddresses> subnets = new HashMap<>();
    /** Addresses of stopped tasks whose claims the next batch deletes. */
    private final List<NetworkInterfaces.AddressHold> releases = new ArrayList<>();

    AddressBook(StateStore store) {
        this.store = store;
    }

    /** How many addresses of the subnet tasks can still take. */
    int free(EcsScope scope, TaskNetwork.SubnetChoice subnet) {
        return view(scope, subnet).free();
    }

    /**
     * Gives a placed awsvpc task an address of the first of {@code candidates} (subnets of its
     * network, in the zone its placement chose) with a free one, with its interface written in
     * {@code batch}. Empty when none has a free address.
     *
     * @param host the EC2 instance the interface is attached to; empty on the platform
     */
    Optional<Task> attach(ClusterState state, EcsScope scope, TaskNetwork network,
                          List<TaskNetwork.SubnetChoice> candidates, Task task, Optional<String> host,
                          PlacementBatch batch) {
        Optional<TaskNetwork.SubnetChoice> chosen = candidates.stream()
                .filter(s -> free(scope, s) > 0)
                .findFirst();
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        TaskNetwork.SubnetChoice subnet = chosen.get();
        String address = view(scope, subnet).take().orElseThrow();
        NetworkInterfaces.Grant grant = NetworkInterfaces.grant(scope, task, network, subnet, address, host,
                task.createdAt());
        batch.requireAbsent(grant.claimKey());
        batch.put(grant.claimKey(), grant.claim());
        batch.put(grant.eniKey(), grant.eni());
        batch.put(grant.attachmentKey(), grant.attachmentIndex());
        state.holdsAddress(task.taskArn(), task.group(), subnet.availabilityZone(), grant.hold());
        return Optional.of(grant.task());
    }

    /** A stopped task's address, to give back with the next batch. */
    void release(NetworkInterfaces.AddressHold hold) {
        releases.add(hold);
    }

    boolean hasReleases() {
        return !releases.isEmpty();
    }

    /** Puts every release waiting into the batch. */
    void releaseWith(PlacementBatch batch) {
        releases.forEach(batch::release);
        releases.clear();
    }

    /** The batch landed: the addresses it gave back can be handed out again. */
    void landed(PlacementBatch batch) {
        for (NetworkInterfaces.AddressHold hold : batch.released()) {
            SubnetAddresses view = subnets.get(key(hold.scope(), hold.subnetId()));
            if (view != null) {
                view.release(hold.address());
            }
        }
    }

    /** The batch did not land: what it gave back is given back with a later one. */
    void notLanded(PlacementBatch batch) {
        releases.addAll(batch.released());
    }

    /** Drops the subnet views, to be read from the store again; releases still to write are kept. */
    void forgetViews() {
        subnets.clear();
    }

    /**
     * The view of a subnet's addresses, read from the store on first use. Claims left by tasks that
     * have stopped (a release that never landed) are given back with the next batch.
     */
    private SubnetAddresses view(EcsScope scope, TaskNetwork.SubnetChoice subnet) {
        return subnets.computeIfAbsent(key(scope, subnet.subnetId()), k -> {
            SubnetAddresses view = SubnetAddresses.load(store, scope, subnet.subnetId(), subnet.cidrBlock());
            releases.addAll(StaleClaims.find(store, scope, subnet.subnetId()));
            return view;
        });
    }

    private static String key(EcsScope scope, String subnetId) {
        return scope.keyPrefix() + subnetId;
    }
}
