package dev.stevedore.control.ecs.placement;

import dev.stevedore.control.ec2.AddressClaim;
import dev.stevedore.control.ec2.Ec2Keys;
import dev.stevedore.control.ecs.EcsKeys;
import dev.stevedore.control.ecs.EcsScope;
import dev.stevedore.control.ecs.task.TaskAttachments;
import dev.stevedore.control.ecs.task.TaskStatus;
import dev.stevedore.control.state.Records;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.store.KeyValue;
import dev.stevedore.store.StateStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Claims of a subnet whose task has stopped or is gone: the applier gives an address back in the
 * batch after the task stops, and a process that died in between leaves the claim behind. Found
 * when the applier first reads the subnet, so a restart puts them right.
 */
final class StaleClaims {
    private StaleClaims() {
    }

    static List<NetworkInterfaces.AddressHold> find(StateStore store, EcsScope scope, String subnetId) {
        List<NetworkInterfaces.AddressHold> stale = new ArrayList<>();
        for (KeyValue kv : store.range(Ec2Keys.subnetAddresses(scope, subnetId))) {
            AddressClaim claim = Records.decode(kv.value(), AddressClaim.class);
            if (!claim.heldByTask()) {
                continue; // a mount target's: released when the mount target is deleted
            }
            KeyPath.TaskArn arn = KeyPath.TaskArn.parse(claim.taskArn());
            Optional<Task> task = store.get(EcsKeys.task(arn.scope(), arn.cluster(), arn.id()))
                    .map(t -> Records.decode(t.value(), Task.class));
            if (task.isEmpty() || TaskStatus.STOPPED.equals(task.get().lastStatus())) {
                String address = kv.key().substring(kv.key().lastIndexOf('/') + 1);
                String attachmentId = task.flatMap(TaskAttachments::interfaceOf)
                        .map(TaskAttachments.InterfaceFacts::attachmentId).orElse("");
                stale.add(new NetworkInterfaces.AddressHold(scope, subnetId, address, claim.networkInterfaceId(),
                        attachmentId));
            }
        }
        return stale;
    }
}
