package dev.stevedore.control.ssm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.control.iam.SecretSealer;
import dev.stevedore.store.InMemoryStateStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

class SsmAccessRulesTest {
    private static final String PARAMETERS = "arn:aws:ssm:eu-west-1:123456789012:parameter/";

    private static List<AccessRequest> requests(String operation, Map<String, ?> input) {
        CallContext ctx = new CallContext("r", new Principal("123456789012", "AKIA", "arn:aws:iam::123456789012:root",
                Optional.empty()), operation, "eu-west-1");
        ObjectNode in = AwsJson.mapper().valueToTree(input);
        return SsmAccessRules.rules().get(operation).requests(ctx, in);
    }

    @Test
    void everyOperationOfTheApiHasARule() {
        assertThat(SsmAccessRules.rules().keySet()).isEqualTo(new SsmApi(new InMemoryStateStore(),
                Clock.systemUTC(), new SecretSealer(new byte[SecretSealer.KEY_BYTES])).operations().keySet());
    }

    @Test
    void parametersAreNamedByTheirArnWithoutTheLeadingSlashOrSelector() {
        assertThat(requests("GetParameter", Map.of("Name", "/app/db:3")))
                .containsExactly(new AccessRequest("ssm:GetParameter", PARAMETERS + "app/db"));
        assertThat(requests("GetParameter", Map.of("Name", PARAMETERS + "app/db:2")))
                .containsExactly(new AccessRequest("ssm:GetParameter", PARAMETERS + "app/db"));
        assertThat(requests("GetParameters", Map.of("Names", List.of("plain", "/a/b"))))
                .containsExactly(new AccessRequest("ssm:GetParameters", PARAMETERS + "plain"),
                        new AccessRequest("ssm:GetParameters", PARAMETERS + "a/b"));
        assertThat(requests("PutParameter", Map.of("Name", "/x", "Value", "v", "Overwrite", true)))
                .containsExactly(new AccessRequest("ssm:PutParameter", PARAMETERS + "x",
                        Map.of("ssm:Overwrite", List.of("true"))));
        assertThat(requests("GetParametersByPath", Map.of("Path", "/app")))
                .containsExactly(new AccessRequest("ssm:GetParametersByPath", PARAMETERS + "app"));
        assertThat(requests("DescribeParameters", Map.of()))
                .containsExactly(AccessRequest.anyResource("ssm:DescribeParameters"));
        assertThat(requests("AddTagsToResource", Map.of("ResourceType", "Parameter", "ResourceId", "/t")))
                .containsExactly(new AccessRequest("ssm:AddTagsToResource", PARAMETERS + "t"));
    }
}
