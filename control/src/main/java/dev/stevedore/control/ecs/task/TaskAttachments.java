package dev.stevedore.control.ecs.task;

import dev.stevedore.model.ecs.Attachment;
import dev.stevedore.model.ecs.Container;
import dev.stevedore.model.ecs.KeyValuePair;
import dev.stevedore.model.ecs.NetworkInterface;
import dev.stevedore.model.ecs.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code awsvpc} task's network interface as ECS shows it: an {@code ElasticNetworkInterface}
 * attachment with the interface's facts as details, and each container's {@code networkInterfaces}.
 * The attachment moves PRECREATED → ATTACHING (the agent is making the task's network namespace) →
 * ATTACHED (it made it) →
 * DETACHING (the containers stopped) → DELETED (the namespace is gone); the task is PROVISIONING
 * until ATTACHED and DEPROVISIONING from the containers' stop until DELETED.
 */
public final class TaskAttachments {
    public static final String TYPE = "ElasticNetworkInterface";
    public static final String PRECREATED = "PRECREATED";
    public static final String ATTACHING = "ATTACHING";
    public static final String ATTACHED = "ATTACHED";
    public static final String DETACHING = "DETACHING";
    public static final String DELETED = "DELETED";

    private TaskAttachments() {
    }

    /** The value at {@code EcsKeys.attachment}: the task an attachment id belongs to. */
    public record AttachmentIndex(String taskArn) {
        public AttachmentIndex {
            Objects.requireNonNull(taskArn, "taskArn");
        }
    }

    /** The facts of a task's interface, read back from its attachment's details. */
    public record InterfaceFacts(String attachmentId, String status, String subnetId, String networkInterfaceId,
                                 String macAddress, String privateDnsName, String privateIpv4Address) {
    }

    /** The task with its interface attached as ECS shows it before the agent has done anything. */
    public static Task withInterface(Task task, String attachmentId, String subnetId, String availabilityZone,
                                     String eniId, String mac, String dnsName, String address) {
        Attachment attachment = Attachment.builder()
                .id(attachmentId)
                .type(TYPE)
                .status(PRECREATED)
                .details(List.of(
                        detail("subnetId", subnetId),
                        detail("networkInterfaceId", eniId),
                        detail("macAddress", mac),
                        detail("privateDnsName", dnsName),
                        detail("privateIPv4Address", address)))
                .build();
        List<Attachment> attachments = new ArrayList<>(Optional.ofNullable(task.attachments()).orElse(List.of()));
        attachments.add(attachment);
        List<Container> containers = task.containers().stream()
                .map(c -> c.toBuilder().networkInterfaces(List.of(NetworkInterface.builder()
                        .attachmentId(attachmentId).privateIpv4Address(address).build())).build())
                .toList();
        return task.toBuilder().attachments(attachments).containers(containers).availabilityZone(availabilityZone)
                .build();
    }

    /** The task's network interface, when it has one. */
    public static Optional<InterfaceFacts> interfaceOf(Task task) {
        return eniAttachment(task).map(a -> new InterfaceFacts(a.id(), a.status(), value(a, "subnetId"),
                value(a, "networkInterfaceId"), value(a, "macAddress"), value(a, "privateDnsName"),
                value(a, "privateIPv4Address")));
    }

    /** Whether the task's containers may still be in a network namespace the agent has to take down. */
    public static boolean awaitsDetach(Task task) {
        return eniAttachment(task).map(a -> ATTACHING.equals(a.status()) || ATTACHED.equals(a.status())
                || DETACHING.equals(a.status())).orElse(false);
    }

    /** The task with its interface's attachment in {@code status}; unchanged when it has none. */
    public static Task withStatus(Task task, String status) {
        if (eniAttachment(task).isEmpty()) {
            return task;
        }
        List<Attachment> attachments = task.attachments().stream()
                .map(a -> TYPE.equals(a.type()) ? a.toBuilder().status(status).build() : a)
                .toList();
        return task.toBuilder().attachments(attachments).build();
    }

    private static Optional<Attachment> eniAttachment(Task task) {
        return Optional.ofNullable(task.attachments()).orElse(List.of()).stream()
                .filter(a -> TYPE.equals(a.type())).findFirst();
    }

    private static String value(Attachment a, String name) {
        return Optional.ofNullable(a.details()).orElse(List.of()).stream()
                .filter(d -> name.equals(d.name())).map(KeyValuePair::value).findFirst().orElse("");
    }

    private static KeyValuePair detail(String name, String value) {
        return KeyValuePair.builder().name(name).value(value).build();
    }
}
