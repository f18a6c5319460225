package dev.stevedore.control.ecs;

import dev.stevedore.awsproto.AwsException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edges of every operation that takes a list of things or a cluster: an empty list and a cluster
 * that does not exist, with the exception and message ECS answers (see the README's notes on where
 * each message comes from).
 */
class EdgeErrorsTest {
    EcsHarness ecs;

    @BeforeEach
    void setUp() {
        ecs = new EcsHarness();
        ecs.call("CreateCluster", "{}");
        ecs.call("RegisterTaskDefinition", """
                {"family": "web", "containerDefinitions": [{"name": "web", "image": "busybox", "memory": 16}]}""");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            DescribeTasks                 | {"tasks": []}                                                      | InvalidParameterException | Tasks cannot be empty.
            DescribeTasks                 | {"cluster": "nope", "tasks": []}                                   | InvalidParameterException | Tasks cannot be empty.
            DescribeContainerInstances    | {"containerInstances": []}                                         | InvalidParameterException | Container instance cannot be empty.
            DescribeContainerInstances    | {"cluster": "nope", "containerInstances": []}                      | InvalidParameterException | Container instance cannot be empty.
            UpdateContainerInstancesState | {"containerInstances": [], "status": "DRAINING"}                   | InvalidParameterException | Container instance cannot be empty.
            DescribeServices              | {"services": []}                                                   | InvalidParameterException | Services cannot be empty.
            GetTaskProtection             | {"cluster": "default", "tasks": []}                                | InvalidParameterException | Tasks cannot be empty.
            UpdateTaskProtection          | {"cluster": "default", "tasks": [], "protectionEnabled": true}     | InvalidParameterException | Tasks cannot be empty.
            StartTask                     | {"containerInstances": [], "taskDefinition": "web"}                | InvalidParameterException | containerInstances must name between 1 and 10 container instances.
            DeleteTaskDefinitions         | {"taskDefinitions": []}                                            | InvalidParameterException | You must specify between 1 and 10 task definitions.
            PutAttributes                 | {"attributes": []}                                                 | InvalidParameterException | You can specify between 1 and 10 attributes per call.
            DeleteAttributes              | {"attributes": []}                                                 | InvalidParameterException | You can specify between 1 and 10 attributes per call.
            DescribeServiceDeployments    | {"serviceDeploymentArns": []}                                      | InvalidParameterException | serviceDeploymentArns cannot be empty.
            DescribeServiceRevisions      | {"serviceRevisionArns": []}                                        | InvalidParameterException | serviceRevisionArns cannot be empty.
            """)
    void anEmptyListIsRefused(String operation, String input, String code, String message) {
        AwsException e = ecs.fails(operation, input, code);
        assertThat(e.getMessage()).isEqualTo(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            DescribeTasks                 | {"cluster": "nope", "tasks": ["0123456789abcdef0123456789abcdef"]}
            DescribeContainerInstances    | {"cluster": "nope", "containerInstances": ["0123456789abcdef0123456789abcdef"]}
            UpdateContainerInstancesState | {"cluster": "nope", "containerInstances": ["0123456789abcdef0123456789abcdef"], "status": "DRAINING"}
            ListTasks                     | {"cluster": "nope"}
            ListContainerInstances        | {"cluster": "nope"}
            ListServices                  | {"cluster": "nope"}
            ListAttributes                | {"cluster": "nope", "targetType": "container-instance"}
            PutAttributes                 | {"cluster": "nope", "attributes": [{"name": "a", "targetId": "0123456789abcdef0123456789abcdef"}]}
            RunTask                       | {"cluster": "nope", "taskDefinition": "web"}
            StartTask                     | {"cluster": "nope", "containerInstances": ["0123456789abcdef0123456789abcdef"], "taskDefinition": "web"}
            StopTask                      | {"cluster": "nope", "task": "0123456789abcdef0123456789abcdef"}
            RegisterContainerInstance     | {"cluster": "nope", "instanceIdentityDocument": "{\\"instanceType\\": \\"m5.large\\"}"}
            DeregisterContainerInstance   | {"cluster": "nope", "containerInstance": "0123456789abcdef0123456789abcdef"}
            SubmitTaskStateChange         | {"cluster": "nope", "task": "0123456789abcdef0123456789abcdef", "status": "RUNNING"}
            SubmitContainerStateChange    | {"cluster": "nope", "task": "0123456789abcdef0123456789abcdef", "containerName": "web", "status": "RUNNING"}
            CreateService                 | {"cluster": "nope", "serviceName": "web", "taskDefinition": "web", "desiredCount": 1}
            UpdateService                 | {"cluster": "nope", "service": "web"}
            DeleteService                 | {"cluster": "nope", "service": "web"}
            DescribeServices              | {"cluster": "nope", "services": ["web"]}
            ListServiceDeployments        | {"cluster": "nope", "service": "web"}
            CreateTaskSet                 | {"cluster": "nope", "service": "web", "taskDefinition": "web"}
            DescribeTaskSets              | {"cluster": "nope", "service": "web"}
            GetTaskProtection             | {"cluster": "nope"}
            UpdateCluster                 | {"cluster": "nope"}
            UpdateClusterSettings         | {"cluster": "nope", "settings": [{"name": "containerInsights", "value": "enabled"}]}
            DeleteCluster                 | {"cluster": "nope"}
            """)
    void aClusterThatDoesNotExistIsClusterNotFound(String operation, String input) {
        AwsException e = ecs.fails(operation, input, "ClusterNotFoundException");
        assertThat(e.getMessage()).isEqualTo("Cluster not found.");
    }
}
