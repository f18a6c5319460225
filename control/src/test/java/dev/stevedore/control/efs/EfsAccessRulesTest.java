package dev.stevedore.control.efs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.awsproto.ServiceSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EfsAccessRulesTest {
    private static final CallContext CTX = new CallContext("r", new Principal("123456789012", "AKIATEST",
            "arn:aws:iam::123456789012:user/alice"), "op", "eu-west-1");
    private static final String FS_ARN = "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123456789abcdef0";

    private static List<AccessRequest> requests(String operation, Map<String, Object> input) {
        ObjectNode tree = AwsJson.mapper().valueToTree(input);
        return EfsAccessRules.rules().get(operation).requests(CTX, tree);
    }

    @Test
    void everyOperationHasARule() {
        assertThat(EfsAccessRules.rules().keySet())
                .containsExactlyInAnyOrderElementsOf(ServiceSpec.load(EfsApi.SPEC_NAME).operationNames());
    }

    @Test
    void aCallOnAFileSystemAsksForItsActionOnTheFileSystemsArn() {
        assertThat(requests("DeleteFileSystem", Map.of("FileSystemId", "fs-0123456789abcdef0")))
                .containsExactly(new AccessRequest("elasticfilesystem:DeleteFileSystem", FS_ARN));
        assertThat(requests("CreateMountTarget", Map.of("FileSystemId", FS_ARN, "SubnetId", "subnet-1")))
                .containsExactly(new AccessRequest("elasticfilesystem:CreateMountTarget", FS_ARN));
        assertThat(requests("DescribeFileSystems", Map.of()))
                .containsExactly(AccessRequest.anyResource("elasticfilesystem:DescribeFileSystems"));
    }

    @Test
    void tagsACallAddsOrRemovesAreConditionKeys() {
        AccessRequest create = requests("CreateFileSystem", Map.of("CreationToken", "t",
                "Tags", List.of(Map.of("Key", "team", "Value", "core")))).getFirst();
        AccessRequest untag = requests("UntagResource", Map.of("ResourceId", "fsap-0123456789abcdef0",
                "TagKeys", List.of("team"))).getFirst();

        assertThat(create.conditionKeys()).containsEntry("aws:RequestTag/team", List.of("core"))
                .containsEntry("aws:TagKeys", List.of("team"));
        assertThat(untag.resource())
                .isEqualTo("arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-0123456789abcdef0");
        assertThat(untag.conditionKeys()).containsEntry("aws:TagKeys", List.of("team"));
    }
}
