package dev.stevedore.awsproto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceSpecTest {

    private static final List<String> ECS_OPERATIONS = List.of(
            "ContinueServiceDeployment", "CreateCapacityProvider", "CreateCluster", "CreateDaemon",
            "CreateExpressGatewayService", "CreateService", "CreateTaskSet", "DeleteAccountSetting", "DeleteAttributes",
            "DeleteCapacityProvider", "DeleteCluster", "DeleteDaemon", "DeleteDaemonTaskDefinition",
            "DeleteExpressGatewayService", "DeleteService", "DeleteTaskDefinitions", "DeleteTaskSet",
            "DeregisterContainerInstance", "DeregisterTaskDefinition", "DescribeCapacityProviders", "DescribeClusters",
            "DescribeContainerInstances", "DescribeDaemon", "DescribeDaemonDeployments", "DescribeDaemonRevisions",
            "DescribeDaemonTaskDefinition", "DescribeExpressGatewayService", "DescribeServiceDeployments",
            "DescribeServiceRevisions", "DescribeServices", "DescribeTaskDefinition", "DescribeTaskSets",
            "DescribeTasks", "DiscoverPollEndpoint", "ExecuteCommand", "GetTaskProtection", "ListAccountSettings",
            "ListAttributes", "ListClusters", "ListContainerInstances", "ListDaemonDeployments",
            "ListDaemonTaskDefinitions", "ListDaemons", "ListServiceDeployments", "ListServices",
            "ListServicesByNamespace", "ListTagsForResource", "ListTaskDefinitionFamilies", "ListTaskDefinitions",
            "ListTasks", "PutAccountSetting", "PutAccountSettingDefault", "PutAttributes", "PutClusterCapacityProviders",
            "RegisterContainerInstance", "RegisterDaemonTaskDefinition", "RegisterTaskDefinition", "RunTask",
            "StartTask", "StopServiceDeployment", "StopTask", "SubmitAttachmentStateChanges",
            "SubmitContainerStateChange", "SubmitTaskStateChange", "TagResource", "UntagResource", "UpdateCapacityProvider",
            "UpdateCluster", "UpdateClusterSettings", "UpdateContainerAgent", "UpdateContainerInstancesState",
            "UpdateDaemon", "UpdateExpressGatewayService", "UpdateService", "UpdateServicePrimaryTaskSet",
            "UpdateTaskProtection", "UpdateTaskSet");

    private final ServiceSpec ecs = ServiceSpec.load("ecs-2014-11-13");

    @Test
    void ecsMetadata() {
        assertThat(ecs.protocol()).isEqualTo("json");
        assertThat(ecs.jsonVersion()).contains("1.1");
        assertThat(ecs.apiVersion()).isEqualTo("2014-11-13");
        assertThat(ecs.signingName()).isEqualTo("ecs");
        assertThat(ecs.targetPrefix()).contains("AmazonEC2ContainerServiceV20141113");
        assertThat(ecs.serviceId()).isEqualTo("ECS");
    }

    @Test
    void allSeventySevenEcsOperationsArePresent() {
        assertThat(ECS_OPERATIONS).hasSize(77);
        assertThat(ecs.operationNames()).containsExactlyInAnyOrderElementsOf(ECS_OPERATIONS);
        ECS_OPERATIONS.forEach(name -> {
            OperationSpec op = ecs.operation(name).orElseThrow();
            assertThat(op.httpMethod()).isEqualTo("POST");
            assertThat(op.requestUri()).isEqualTo("/");
            assertThat(op.input().map(ecs::shape).map(Shape::type)).contains(ShapeType.STRUCTURE);
            assertThat(op.errors()).contains("ServerException", "ClientException", "InvalidParameterException");
        });
    }

    @Test
    void operationDetails() {
        OperationSpec runTask = ecs.operation("RunTask").orElseThrow();

        assertThat(runTask.input()).contains("RunTaskRequest");
        assertThat(runTask.output()).contains("RunTaskResponse");
        assertThat(runTask.errors()).contains("ClusterNotFoundException", "PlatformUnknownException");
        assertThat(runTask.idempotencyTokenMember()).contains("clientToken");
        assertThat(ecs.operation("CreateService").orElseThrow().idempotencyTokenMember()).isEmpty();
        assertThat(ecs.operation("Nope")).isEmpty();
    }

    @Test
    void shapeConstraints() {
        Shape tagKey = ecs.shape("TagKey");
        assertThat(tagKey.type()).isEqualTo(ShapeType.STRING);
        assertThat(tagKey.min()).contains(BigDecimal.ONE);
        assertThat(tagKey.max()).contains(BigDecimal.valueOf(128));
        assertThat(tagKey.pattern()).contains("([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)");

        assertThat(ecs.shape("LaunchType").enumValues()).containsExactly("EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES");
        assertThat(ecs.shape("RunTaskRequest").required()).containsExactly("taskDefinition");
        assertThat(ecs.shape("Tags").member().map(Member::shape)).contains("Tag");
        assertThat(ecs.shape("DockerLabelsMap").key().map(Member::shape)).contains("String");
        assertThat(ecs.shape("DaemonDrainPercent").max()).contains(new BigDecimal("100.0"));
        assertThat(ecs.shape("SensitiveString").sensitive()).isTrue();
    }

    @Test
    void errorShapes() {
        assertThat(ecs.shape("ServerException").fault()).isTrue();
        assertThat(ecs.shape("ServerException").httpStatus()).isEqualTo(500);
        assertThat(ecs.shape("ClusterNotFoundException").exception()).isTrue();
        assertThat(ecs.shape("ClusterNotFoundException").httpStatus()).isEqualTo(400);
        assertThat(ecs.shape("ConflictException").members()).containsKeys("message", "resourceIds");
    }

    @Test
    void specsAreLoadedOnce() {
        assertThat(ServiceSpec.load("ecs-2014-11-13")).isSameAs(ecs);
    }

    @Test
    void unknownOrUnsafeNamesAreRefused() {
        assertThatThrownBy(() -> ServiceSpec.load("nosuch-2020-01-01")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServiceSpec.load("../../secret")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ecs.shape("NoSuchShape")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ecs.findShape("NoSuchShape")).isEmpty();
    }

    @Test
    void danglingReferencesFailAtLoad() {
        String json = """
                {"metadata": {"protocol": "json"}, "operations": {},
                 "shapes": {"A": {"type": "structure", "members": {"b": {"shape": "Missing"}}}}}""";

        assertThatThrownBy(() -> ServiceSpec.parse("broken", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A.b -> Missing");
    }

    @Test
    void errorTraitsAndWireNamesOfOtherProtocols() {
        String json = """
                {"metadata": {"protocol": "query", "endpointPrefix": "sts", "apiVersion": "2011-06-15"},
                 "operations": {"GetCallerIdentity": {"http": {"method": "POST", "requestUri": "/"},
                                 "input": "In", "output": "In", "errors": ["Boom"]}},
                 "shapes": {"In": {"type": "structure", "members": {"arn": {"shape": "S", "locationName": "Arn"}}},
                            "S": {"type": "string"},
                            "Boom": {"type": "structure", "exception": true, "members": {},
                                     "error": {"code": "Boom.Code", "httpStatusCode": 403, "senderFault": true}}}}""";

        ServiceSpec sts = ServiceSpec.parse("sts-2011-06-15", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));

        assertThat(sts.signingName()).isEqualTo("sts");
        assertThat(sts.targetPrefix()).isEmpty();
        assertThat(sts.shape("Boom").httpStatus()).isEqualTo(403);
        assertThat(sts.shape("Boom").error().flatMap(Shape.ErrorTrait::code)).contains("Boom.Code");
        assertThat(sts.shape("In").members().get("arn").wireName()).isEqualTo("Arn");
        assertThat(sts.shape("In").members().get("arn").locationName()).isEqualTo(Optional.of("Arn"));
    }

    @Test
    void theEc2SpecLoadsWithItsProtocolTraits() {
        ServiceSpec ec2 = ServiceSpec.load("ec2-2016-11-15");

        assertThat(ec2.protocol()).isEqualTo("ec2");
        assertThat(ec2.apiVersion()).isEqualTo("2016-11-15");
        assertThat(ec2.signingName()).isEqualTo("ec2");
        assertThat(ec2.targetPrefix()).isEmpty();
        assertThat(ec2.jsonVersion()).isEmpty();
        assertThat(ec2.serviceId()).isEqualTo("EC2");
        assertThat(ec2.metadata("xmlNamespace")).contains("http://ec2.amazonaws.com/doc/2016-11-15");
        assertThat(ec2.operationNames()).hasSize(18).contains("DescribeVpcs", "CreateVpc", "DeleteVpc",
                "AuthorizeSecurityGroupIngress", "DescribeNetworkInterfaces");
        assertThat(ec2.operation("DeleteVpc").orElseThrow().output()).isEmpty();

        Member filters = ec2.shape("DescribeVpcsRequest").members().get("Filters");
        assertThat(filters.locationName()).contains("Filter");
        assertThat(filters.ec2ParameterName()).isEqualTo("Filter");
        assertThat(ec2.memberKey(filters)).isEqualTo("Filters");
        Member dryRun = ec2.shape("DescribeVpcsRequest").members().get("DryRun");
        assertThat(dryRun.ec2ParameterName()).isEqualTo("DryRun");
        assertThat(dryRun.wireName()).isEqualTo("dryRun");
        assertThat(ec2.shape("DescribeVpcsRequest").members().get("MaxResults").ec2ParameterName()).isEqualTo("MaxResults");
        assertThat(ec2.shape("VpcList").member().flatMap(Member::locationName)).contains("item");
        assertThat(ec2.shape("VpcList").flattened()).isFalse();
        assertThat(ecs.memberKey(ecs.shape("RunTaskRequest").members().get("cluster"))).isEqualTo("cluster");
    }

    @Test
    void queryNamesAndFlattenedListsOfTheXmlProtocols() {
        String json = """
                {"metadata": {"protocol": "ec2", "apiVersion": "2016-11-15"}, "operations": {},
                 "shapes": {"In": {"type": "structure", "members": {
                               "Ips": {"shape": "L", "locationName": "ipSet", "queryName": "Ip"},
                               "Flat": {"shape": "F", "flattened": true}}},
                            "L": {"type": "list", "member": {"shape": "S", "locationName": "item"}},
                            "F": {"type": "list", "member": {"shape": "S"}, "flattened": true},
                            "S": {"type": "string"}}}""";

        ServiceSpec spec = ServiceSpec.parse("toy-ec2", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));

        assertThat(spec.shape("In").members().get("Ips").ec2ParameterName()).isEqualTo("Ip");
        assertThat(spec.shape("In").members().get("Ips").wireName()).isEqualTo("ipSet");
        assertThat(spec.shape("In").members().get("Flat").flattened()).isTrue();
        assertThat(spec.shape("F").flattened()).isTrue();
    }
}
