package dev.stevedore.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DeleteTaskDefinitionsResponse;
import software.amazon.awssdk.services.ecs.model.ListTaskDefinitionsResponse;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.SortOrder;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionFamilyStatus;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Task definition operations through the unmodified AWS SDK for Java v2. */
class TaskDefinitionsIT {
    static InProcessStevedore stevedore;
    static EcsClient ecs;

    @BeforeAll
    static void start() {
        stevedore = InProcessStevedore.start();
        ecs = stevedore.ecs();
    }

    @AfterAll
    static void stop() {
        ecs.close();
        stevedore.close();
    }

    static TaskDefinition register(String family, Consumer<RegisterTaskDefinitionRequest.Builder> extra) {
        return ecs.registerTaskDefinition(b -> {
            b.family(family).containerDefinitions(ContainerDefinition.builder()
                    .name("app").image("stevedore-test/busybox:latest").memory(64).build());
            extra.accept(b);
        }).taskDefinition();
    }

    @Test
    void revisionsCountUpPerFamilyAndCarryArnStatusAndRegistration() {
        Instant before = Instant.now().minusSeconds(1);
        TaskDefinition first = register("counting", b -> { });
        TaskDefinition second = register("counting", b -> { });
        assertThat(first.revision()).isEqualTo(1);
        assertThat(second.revision()).isEqualTo(2);
        assertThat(second.taskDefinitionArn()).isEqualTo(stevedore.arn("task-definition/counting:2"));
        assertThat(second.status()).isEqualTo(TaskDefinitionStatus.ACTIVE);
        assertThat(second.registeredAt()).isBetween(before, Instant.now().plus(Duration.ofSeconds(1)));
        assertThat(second.registeredBy()).isEqualTo("arn:aws:iam::" + InProcessStevedore.ACCOUNT + ":root");
        assertThat(second.containerDefinitions()).extracting(ContainerDefinition::name).containsExactly("app");
        assertThat(second.compatibilitiesAsStrings()).contains("EC2");
    }

    @Test
    void describeFindsByFamilyRevisionAndArnAndIncludesTagsOnRequest() {
        register("lookup", b -> b.tags(Tag.builder().key("env").value("test").build()));
        register("lookup", b -> { });
        assertThat(ecs.describeTaskDefinition(b -> b.taskDefinition("lookup")).taskDefinition().revision()).isEqualTo(2);
        assertThat(ecs.describeTaskDefinition(b -> b.taskDefinition("lookup:1")).taskDefinition().revision()).isEqualTo(1);
        var byArn = ecs.describeTaskDefinition(b -> b.taskDefinition(stevedore.arn("task-definition/lookup:1"))
                .include(TaskDefinitionField.TAGS));
        assertThat(byArn.taskDefinition().revision()).isEqualTo(1);
        assertThat(byArn.tags()).containsExactly(Tag.builder().key("env").value("test").build());
        assertThatThrownBy(() -> ecs.describeTaskDefinition(b -> b.taskDefinition("lookup:9")))
                .isInstanceOf(ClientException.class).hasMessageContaining("Unable to describe task definition.");
        assertThatThrownBy(() -> ecs.describeTaskDefinition(b -> b.taskDefinition("never-registered")))
                .isInstanceOf(ClientException.class);
    }

    @Test
    void aBareFamilyMeansTheLatestActiveRevision() {
        register("latest", b -> { });
        register("latest", b -> { });
        ecs.deregisterTaskDefinition(b -> b.taskDefinition("latest:2"));
        assertThat(ecs.describeTaskDefinition(b -> b.taskDefinition("latest")).taskDefinition().revision()).isEqualTo(1);
        TaskDefinition inactive = ecs.describeTaskDefinition(b -> b.taskDefinition("latest:2")).taskDefinition();
        assertThat(inactive.status()).isEqualTo(TaskDefinitionStatus.INACTIVE);
        assertThat(inactive.deregisteredAt()).isNotNull();
    }

    @Test
    void listFiltersByPrefixAndStatusSortsAndPages() {
        for (int i = 0; i < 3; i++) {
            register("listing-a", b -> { });
            register("listing-b", b -> { });
        }
        ecs.deregisterTaskDefinition(b -> b.taskDefinition("listing-b:1"));
        List<String> asc = ecs.listTaskDefinitionsPaginator(b -> b.familyPrefix("listing-")).taskDefinitionArns()
                .stream().toList();
        assertThat(asc).containsExactly(
                stevedore.arn("task-definition/listing-a:1"), stevedore.arn("task-definition/listing-a:2"),
                stevedore.arn("task-definition/listing-a:3"), stevedore.arn("task-definition/listing-b:2"),
                stevedore.arn("task-definition/listing-b:3"));
        List<String> pagedDesc = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListTaskDefinitionsResponse page = ecs.listTaskDefinitions(b -> b.familyPrefix("listing-")
                    .sort(SortOrder.DESC).maxResults(2).nextToken(t));
            pagedDesc.addAll(page.taskDefinitionArns());
            token = page.nextToken();
        } while (token != null);
        assertThat(pagedDesc).containsExactlyElementsOf(asc.reversed());
        assertThat(ecs.listTaskDefinitions(b -> b.familyPrefix("listing-").status(TaskDefinitionStatus.INACTIVE))
                .taskDefinitionArns()).containsExactly(stevedore.arn("task-definition/listing-b:1"));
    }

    @Test
    void familiesAreListedByWhetherTheyStillHaveAnActiveRevision() {
        register("fam-live", b -> { });
        register("fam-retired", b -> { });
        ecs.deregisterTaskDefinition(b -> b.taskDefinition("fam-retired:1"));
        assertThat(ecs.listTaskDefinitionFamilies(b -> b.familyPrefix("fam-")).families())
                .containsExactly("fam-live", "fam-retired");
        assertThat(ecs.listTaskDefinitionFamilies(b -> b.familyPrefix("fam-").status(TaskDefinitionFamilyStatus.ACTIVE))
                .families()).containsExactly("fam-live");
        assertThat(ecs.listTaskDefinitionFamilies(b -> b.familyPrefix("fam-").status(TaskDefinitionFamilyStatus.INACTIVE))
                .families()).containsExactly("fam-retired");
    }

    @Test
    void onlyDeregisteredRevisionsCanBeDeletedAndNumbersAreNeverReused() {
        register("deleting", b -> { });
        register("deleting", b -> { });
        ecs.deregisterTaskDefinition(b -> b.taskDefinition("deleting:2"));
        DeleteTaskDefinitionsResponse r = ecs.deleteTaskDefinitions(b -> b.taskDefinitions("deleting:1", "deleting:2", "deleting:7"));
        assertThat(r.taskDefinitions()).extracting(TaskDefinition::revision).containsExactly(2);
        assertThat(r.taskDefinitions().get(0).status()).isEqualTo(TaskDefinitionStatus.DELETE_IN_PROGRESS);
        assertThat(r.failures()).hasSize(2);
        assertThat(r.failures().get(0).arn()).isEqualTo(stevedore.arn("task-definition/deleting:1"));
        assertThat(register("deleting", b -> { }).revision()).isEqualTo(3);

        // ECS sends failures even when there are none (MEMBER-PRESENCE.md).
        ecs.deregisterTaskDefinition(b -> b.taskDefinition("deleting:3"));
        DeleteTaskDefinitionsResponse clean = ecs.deleteTaskDefinitions(b -> b.taskDefinitions("deleting:3"));
        assertThat(clean.hasFailures()).isTrue();
        assertThat(clean.failures()).isEmpty();
    }

    @Test
    void deregisterNeedsARevision() {
        register("needs-rev", b -> { });
        assertThatThrownBy(() -> ecs.deregisterTaskDefinition(b -> b.taskDefinition("needs-rev")))
                .isInstanceOf(ClientException.class);
        assertThat(ecs.describeTaskDefinition(b -> b.taskDefinition("needs-rev:1")).taskDefinition().status())
                .isEqualTo(TaskDefinitionStatus.ACTIVE);
    }

    @Test
    void fargateDefinitionsNormaliseCpuAndMemoryStrings() {
        TaskDefinition td = register("fargate-app", b -> b.requiresCompatibilities(List.of(
                software.amazon.awssdk.services.ecs.model.Compatibility.FARGATE))
                .networkMode("awsvpc").cpu("1 vCPU").memory("2GB"));
        assertThat(td.cpu()).isEqualTo("1024");
        assertThat(td.memory()).isEqualTo("2048");
        assertThat(td.compatibilitiesAsStrings()).contains("FARGATE");
    }

    @Test
    void anInvalidDefinitionIsRefusedAndRegistersNothing() {
        assertThatThrownBy(() -> register("broken", b -> b.requiresCompatibilitiesWithStrings("FARGATE")
                .networkMode("awsvpc").cpu("256").memory("4096")))
                .isInstanceOf(ClientException.class);
        assertThat(ecs.listTaskDefinitions(b -> b.familyPrefix("broken")).taskDefinitionArns()).isEmpty();
        assertThat(register("broken", b -> { }).revision()).isEqualTo(1);
    }
}
