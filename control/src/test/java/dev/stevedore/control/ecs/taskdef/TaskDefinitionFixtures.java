package dev.stevedore.control.ecs.taskdef;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stevedore.model.ecs.Attribute;
import dev.stevedore.model.ecs.Compatibility;
import dev.stevedore.model.ecs.ContainerDefinition;
import dev.stevedore.model.ecs.NetworkMode;
import dev.stevedore.model.ecs.RegisterTaskDefinitionRequest;
import dev.stevedore.model.ecs.TaskDefinition;
import java.util.List;

/** Small valid registrations to bend one rule at a time. */
final class TaskDefinitionFixtures {

    static final String CLIENT = "ClientException";
    static final String INVALID_PARAMETER = "InvalidParameterException";
    static final String EXECUTION_ROLE = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole";
    static final String ECR_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0";

    private TaskDefinitionFixtures() {
    }

    /** A container that is valid on its own in any definition: public image, hard memory limit. */
    static ContainerDefinition.Builder container(String name) {
        return ContainerDefinition.builder().name(name).image("nginx:1.27").memory(256);
    }

    static RegisterTaskDefinitionRequest.Builder request(ContainerDefinition... containers) {
        return RegisterTaskDefinitionRequest.builder().family("web").containerDefinitions(List.of(containers));
    }

    /** The smallest Fargate registration: awsvpc, 0.25 vCPU, 512 MiB, one container without limits. */
    static RegisterTaskDefinitionRequest.Builder fargate(ContainerDefinition... containers) {
        return request(containers)
                .networkMode(NetworkMode.AWSVPC)
                .cpu("256")
                .memory("512")
                .requiresCompatibilities(List.of(Compatibility.FARGATE));
    }

    static ContainerDefinition fargateContainer(String name) {
        return ContainerDefinition.builder().name(name).image("nginx:1.27").build();
    }

    static TaskDefinition valid(RegisterTaskDefinitionRequest.Builder request) {
        return TaskDefinitionValidator.validate(request.build());
    }

    static void assertRejected(RegisterTaskDefinitionRequest.Builder request, String code, String message) {
        InvalidTaskDefinitionException e = catchThrowableOfType(InvalidTaskDefinitionException.class,
                () -> TaskDefinitionValidator.validate(request.build()));
        assertThat(e).as("expected a rejection").isNotNull();
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.errorCode()).isEqualTo(code);
    }

    static List<String> attributeNames(TaskDefinition definition) {
        return definition.requiresAttributes().stream().map(Attribute::name).toList();
    }
}
