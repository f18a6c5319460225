package dev.stevedore.agent.api;

import software.amazon.awssdk.services.ecs.model.AttachmentStateChange;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.ContainerStateChange;
import software.amazon.awssdk.services.ecs.model.ManagedAgentStateChange;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.PlatformDevice;
import software.amazon.awssdk.services.ecs.model.RegisterContainerInstanceRequest;
import software.amazon.awssdk.services.ecs.model.Resource;
import software.amazon.awssdk.services.ecs.model.SubmitContainerStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.SubmitTaskStateChangeRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.VersionInfo;

import java.util.List;
import java.util.function.Function;

/**
 * Stevedore's ECS wire records (what the engine and the registration build) as the AWS SDK's request
 * objects. Member for member: both are generated from the same service model, and an absent
 * ({@code null}) member stays absent.
 */
final class SdkRequests {
    private SdkRequests() {
    }

    static RegisterContainerInstanceRequest register(dev.stevedore.model.ecs.RegisterContainerInstanceRequest r) {
        return RegisterContainerInstanceRequest.builder()
                .cluster(r.cluster())
                .containerInstanceArn(r.containerInstanceArn())
                .instanceIdentityDocument(r.instanceIdentityDocument())
                .instanceIdentityDocumentSignature(r.instanceIdentityDocumentSignature())
                .totalResources(map(r.totalResources(), SdkRequests::resource))
                .versionInfo(r.versionInfo() == null ? null : versionInfo(r.versionInfo()))
                .attributes(map(r.attributes(), SdkRequests::attribute))
                .platformDevices(map(r.platformDevices(),
                        d -> PlatformDevice.builder().id(d.id()).type(d.type()).build()))
                .tags(map(r.tags(), t -> Tag.builder().key(t.key()).value(t.value()).build()))
                .build();
    }

    static SubmitTaskStateChangeRequest taskStateChange(dev.stevedore.model.ecs.SubmitTaskStateChangeRequest r) {
        return SubmitTaskStateChangeRequest.builder()
                .cluster(r.cluster())
                .task(r.task())
                .status(r.status())
                .reason(r.reason())
                .containers(map(r.containers(), SdkRequests::containerStateChange))
                .attachments(map(r.attachments(), a -> AttachmentStateChange.builder()
                        .attachmentArn(a.attachmentArn()).status(a.status()).build()))
                .managedAgents(map(r.managedAgents(), m -> ManagedAgentStateChange.builder()
                        .containerName(m.containerName()).managedAgentName(m.managedAgentName())
                        .reason(m.reason()).status(m.status()).build()))
                .pullStartedAt(r.pullStartedAt())
                .pullStoppedAt(r.pullStoppedAt())
                .executionStoppedAt(r.executionStoppedAt())
                .build();
    }

    static SubmitContainerStateChangeRequest containerStateChange(
            dev.stevedore.model.ecs.SubmitContainerStateChangeRequest r) {
        return SubmitContainerStateChangeRequest.builder()
                .cluster(r.cluster())
                .task(r.task())
                .containerName(r.containerName())
                .runtimeId(r.runtimeId())
                .status(r.status())
                .exitCode(r.exitCode())
                .reason(r.reason())
                .networkBindings(map(r.networkBindings(), SdkRequests::networkBinding))
                .build();
    }

    private static ContainerStateChange containerStateChange(dev.stevedore.model.ecs.ContainerStateChange c) {
        return ContainerStateChange.builder()
                .containerName(c.containerName())
                .imageDigest(c.imageDigest())
                .runtimeId(c.runtimeId())
                .exitCode(c.exitCode())
                .networkBindings(map(c.networkBindings(), SdkRequests::networkBinding))
                .reason(c.reason())
                .status(c.status())
                .build();
    }

    private static NetworkBinding networkBinding(dev.stevedore.model.ecs.NetworkBinding b) {
        return NetworkBinding.builder()
                .bindIP(b.bindIP())
                .containerPort(b.containerPort())
                .hostPort(b.hostPort())
                .protocol(b.protocol())
                .containerPortRange(b.containerPortRange())
                .hostPortRange(b.hostPortRange())
                .build();
    }

    private static Resource resource(dev.stevedore.model.ecs.Resource r) {
        return Resource.builder()
                .name(r.name())
                .type(r.type())
                .integerValue(r.integerValue())
                .longValue(r.longValue())
                .doubleValue(r.doubleValue())
                .stringSetValue(r.stringSetValue())
                .build();
    }

    private static VersionInfo versionInfo(dev.stevedore.model.ecs.VersionInfo v) {
        return VersionInfo.builder()
                .agentVersion(v.agentVersion())
                .agentHash(v.agentHash())
                .dockerVersion(v.dockerVersion())
                .build();
    }

    private static Attribute attribute(dev.stevedore.model.ecs.Attribute a) {
        return Attribute.builder()
                .name(a.name())
                .value(a.value())
                .targetType(a.targetType())
                .targetId(a.targetId())
                .build();
    }

    /** Absent stays absent: the SDK omits a list it was given {@code null} for. */
    private static <A, B> List<B> map(List<A> values, Function<A, B> mapper) {
        return values == null ? null : values.stream().map(mapper).toList();
    }
}
