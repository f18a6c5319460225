package dev.stevedore.control.ecs.taskdef;

import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.CLIENT;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.assertRejected;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.container;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.request;
import static dev.stevedore.control.ecs.taskdef.TaskDefinitionFixtures.valid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.model.ecs.ContainerDefinition;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskDefinitionContainersTest {

    @ParameterizedTest
    @ValueSource(strings = {"web", "Web_Server-2", "a"})
    void familyOfLettersDigitsHyphensAndUnderscoresIsAccepted(String family) {
        assertThat(valid(request(container("app").build()).family(family)).family()).isEqualTo(family);
    }

    @Test
    void familyOf255CharactersIsAccepted() {
        String family = "f".repeat(255);
        assertThat(valid(request(container("app").build()).family(family)).family()).isEqualTo(family);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "my.family", "my family", "web:1"})
    void familyWithOtherCharactersIsRejected(String family) {
        assertRejected(request(container("app").build()).family(family), CLIENT,
                "Family must be 1-255 characters of letters (uppercase and lowercase), numbers, hyphens and underscores.");
    }

    @Test
    void familyLongerThan255CharactersIsRejected() {
        assertRejected(request(container("app").build()).family("f".repeat(256)), CLIENT,
                "Family must be 1-255 characters of letters (uppercase and lowercase), numbers, hyphens and underscores.");
    }

    @Test
    void emptyContainerListIsRejected() {
        assertRejected(request(), CLIENT, "Container list cannot be empty.");
    }

    @Test
    void tenContainersAreAccepted() {
        assertThat(valid(request(containers(10))).containerDefinitions()).hasSize(10);
    }

    @Test
    void elevenContainersAreRejected() {
        assertRejected(request(containers(11)), CLIENT, "Too many containers.");
    }

    private static ContainerDefinition[] containers(int count) {
        return IntStream.range(0, count).mapToObj(i -> container("c" + i).build()).toArray(ContainerDefinition[]::new);
    }

    @Test
    void containerWithoutNameIsRejected() {
        assertRejected(request(container("app").name(null).build()), CLIENT, "Container.name should not be null or empty.");
    }

    @Test
    void containerWithEmptyNameIsRejected() {
        assertRejected(request(container("").build()), CLIENT, "Container.name should not be null or empty.");
    }

    @Test
    void containerNameWithInvalidCharactersIsRejected() {
        assertRejected(request(container("my app").build()), CLIENT, "Container.name contains invalid characters.");
    }

    @Test
    void duplicateContainerNamesAreRejected() {
        assertRejected(request(container("app").build(), container("app").build()), CLIENT,
                "Duplicate container name 'app'. Container names must be unique within a task definition.");
    }

    @Test
    void containerWithoutImageIsRejected() {
        assertRejected(request(container("app").image(null).build()), CLIENT, "Container.image should not be null or empty.");
    }

    @Test
    void containerWithEmptyImageIsRejected() {
        assertRejected(request(container("app").image("").build()), CLIENT, "Container.image should not be null or empty.");
    }

    @Test
    void imageWithUnresolvedVariableIsRejected() {
        assertRejected(request(container("app").image("$IMAGE_NAME").build()), CLIENT, "Container.image contains invalid characters.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginx", "amazon/amazon-ecs-agent:latest", "quay.io/org/app:v1.2",
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web@sha256:94afd1f2e64d908bc90dbca0035a5b567EXAMPLE"})
    void registryRepositoryTagAndDigestImagesAreAccepted(String image) {
        assertThat(valid(request(container("app").image(image).build())).containerDefinitions().get(0).image()).isEqualTo(image);
    }

    @Test
    void essentialDefaultsToTrueAndIsEchoed() {
        assertThat(valid(request(container("app").build())).containerDefinitions().get(0).essential()).isTrue();
    }

    @Test
    void oneEssentialContainerAmongNonEssentialOnesIsEnough() {
        List<ContainerDefinition> stored = valid(request(container("app").build(), container("sidecar").essential(false).build()))
                .containerDefinitions();
        assertThat(stored).extracting(ContainerDefinition::essential).containsExactly(true, false);
    }

    @Test
    void definitionWithoutEssentialContainerIsRejected() {
        assertRejected(request(container("a").essential(false).build(), container("b").essential(false).build()), CLIENT,
                "Task definition doesn't have any essential container.");
    }
}
