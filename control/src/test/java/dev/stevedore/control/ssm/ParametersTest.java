package dev.stevedore.control.ssm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.store.KeyValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

class ParametersTest {
    private final SsmHarness ssm = new SsmHarness();

    private JsonNode put(String name, String type, String value) {
        return ssm.call("PutParameter", Map.of("Name", name, "Type", type, "Value", value));
    }

    private List<String> names(JsonNode parameters) {
        List<String> names = new ArrayList<>();
        parameters.forEach(p -> names.add(p.path("Name").asText()));
        return names;
    }

    @Test
    void aPutParameterIsReadBackWithItsArnAndVersion() {
        JsonNode put = put("/app/db/host", "String", "db.local");
        assertThat(put.path("Version").asLong()).isEqualTo(1);
        assertThat(put.path("Tier").asText()).isEqualTo("Standard");

        JsonNode p = ssm.call("GetParameter", Map.of("Name", "/app/db/host")).path("Parameter");
        assertThat(p.path("Value").asText()).isEqualTo("db.local");
        assertThat(p.path("Type").asText()).isEqualTo("String");
        assertThat(p.path("Version").asLong()).isEqualTo(1);
        assertThat(p.path("DataType").asText()).isEqualTo("text");
        assertThat(p.path("ARN").asText()).isEqualTo("arn:aws:ssm:us-east-1:123456789012:parameter/app/db/host");
    }

    @Test
    void overwritingMakesANewVersionAndHistoryKeepsEveryOne() {
        put("plain", "String", "one");
        ssm.fails("PutParameter", Map.of("Name", "plain", "Type", "String", "Value", "two"), "ParameterAlreadyExists");
        JsonNode second = ssm.call("PutParameter", Map.of("Name", "plain", "Value", "two", "Overwrite", true,
                "Description", "the second"));
        assertThat(second.path("Version").asLong()).isEqualTo(2);

        JsonNode history = ssm.call("GetParameterHistory", Map.of("Name", "plain")).path("Parameters");
        assertThat(history).hasSize(2);
        assertThat(history.get(0).path("Value").asText()).isEqualTo("one");
        assertThat(history.get(1).path("Value").asText()).isEqualTo("two");
        assertThat(history.get(1).path("Type").asText()).as("the type carries over").isEqualTo("String");
        assertThat(history.get(1).path("Description").asText()).isEqualTo("the second");
        assertThat(history.get(1).path("LastModifiedUser").asText()).isEqualTo("arn:aws:iam::123456789012:root");

        JsonNode first = ssm.call("GetParameter", Map.of("Name", "plain:1")).path("Parameter");
        assertThat(first.path("Value").asText()).isEqualTo("one");
        assertThat(first.path("Selector").asText()).isEqualTo(":1");
        ssm.fails("GetParameter", Map.of("Name", "plain:7"), "ParameterVersionNotFound");
    }

    @Test
    void historyKeepsTheNewestHundredVersions() {
        put("busy", "String", "v1");
        for (int i = 2; i <= 102; i++) {
            ssm.call("PutParameter", Map.of("Name", "busy", "Value", "v" + i, "Overwrite", true));
        }
        List<Long> versions = new ArrayList<>();
        String token = null;
        do {
            JsonNode page = ssm.call("GetParameterHistory", token == null ? Map.of("Name", "busy")
                    : Map.of("Name", "busy", "NextToken", token));
            page.path("Parameters").forEach(v -> versions.add(v.path("Version").asLong()));
            token = page.hasNonNull("NextToken") ? page.path("NextToken").asText() : null;
        } while (token != null);
        assertThat(versions).hasSize(100).startsWith(3L).endsWith(102L);
    }

    @Test
    void aSecureStringIsSealedInTheStoreAndOpenedOnlyWithDecryption() {
        put("/app/password", "SecureString", "hunter2-very-secret");
        for (KeyValue kv : ssm.store.range("/ssm/")) {
            assertThat(new String(kv.value(), StandardCharsets.UTF_8)).doesNotContain("hunter2");
        }
        JsonNode sealed = ssm.call("GetParameter", Map.of("Name", "/app/password")).path("Parameter");
        assertThat(sealed.path("Value").asText()).isNotBlank().doesNotContain("hunter2");
        JsonNode open = ssm.call("GetParameter", Map.of("Name", "/app/password", "WithDecryption", true)).path("Parameter");
        assertThat(open.path("Value").asText()).isEqualTo("hunter2-very-secret");
        JsonNode described = ssm.call("DescribeParameters", Map.of()).path("Parameters").get(0);
        assertThat(described.path("KeyId").asText()).isEqualTo("alias/aws/ssm");
    }

    @Test
    void getParametersNamesTheMissingOnesAsInvalid() {
        put("a", "String", "1");
        put("b", "StringList", "x,y");
        JsonNode result = ssm.call("GetParameters", Map.of("Names", List.of("a", "nope", "b", "a:5")));
        assertThat(names(result.path("Parameters"))).containsExactly("a", "b");
        assertThat(result.path("Parameters").get(1).path("Value").asText()).isEqualTo("x,y");
        assertThat(result.path("InvalidParameters")).extracting(JsonNode::asText).containsExactly("nope", "a:5");
    }

    @Test
    void getParameterAndGetParametersTakeTheParametersArn() {
        put("/app/key", "String", "one");
        ssm.call("PutParameter", Map.of("Name", "/app/key", "Value", "two", "Overwrite", true));
        put("top", "String", "t");
        String arns = "arn:aws:ssm:us-east-1:123456789012:parameter/";
        assertThat(ssm.call("GetParameter", Map.of("Name", arns + "app/key")).path("Parameter").path("Value").asText())
                .isEqualTo("two");
        assertThat(ssm.call("GetParameter", Map.of("Name", arns + "app/key:1")).path("Parameter").path("Value").asText())
                .isEqualTo("one");
        assertThat(ssm.call("GetParameter", Map.of("Name", arns + "top")).path("Parameter").path("Name").asText())
                .isEqualTo("top");
        ssm.fails("GetParameter", Map.of("Name", "arn:aws:ssm:us-east-1:999999999999:parameter/app/key"), "ParameterNotFound");
        JsonNode result = ssm.call("GetParameters", Map.of("Names", List.of(arns + "app/key",
                "arn:aws:ssm:eu-west-1:123456789012:parameter/app/key")));
        assertThat(names(result.path("Parameters"))).containsExactly("/app/key");
        assertThat(result.path("InvalidParameters")).extracting(JsonNode::asText)
                .containsExactly("arn:aws:ssm:eu-west-1:123456789012:parameter/app/key");
    }

    @Test
    void byPathListsChildrenOrTheWholeSubtreeInPages() {
        for (String name : List.of("/p/a", "/p/b", "/p/c/d", "/p/c/e/f", "/pq/x", "/other")) {
            put(name, "String", name);
        }
        assertThat(names(ssm.call("GetParametersByPath", Map.of("Path", "/p")).path("Parameters")))
                .containsExactly("/p/a", "/p/b");
        List<String> all = new ArrayList<>();
        String token = null;
        do {
            Map<String, Object> request = new java.util.HashMap<>(Map.of("Path", "/p/", "Recursive", true, "MaxResults", 3));
            if (token != null) {
                request.put("NextToken", token);
            }
            JsonNode page = ssm.call("GetParametersByPath", request);
            all.addAll(names(page.path("Parameters")));
            token = page.hasNonNull("NextToken") ? page.path("NextToken").asText() : null;
        } while (token != null);
        assertThat(all).containsExactly("/p/a", "/p/b", "/p/c/d", "/p/c/e/f");
        ssm.fails("GetParametersByPath", Map.of("Path", "/p", "NextToken", "garbage"), "InvalidNextToken");
        ssm.fails("GetParametersByPath", Map.of("Path", "/p", "ParameterFilters",
                List.of(Map.of("Key", "Name", "Values", List.of("/p/a")))), "InvalidFilterKey");
    }

    @Test
    void describeFiltersOnNameTypeAndPath() {
        put("/svc/one", "String", "1");
        put("/svc/two", "SecureString", "2");
        put("/svc/deep/three", "String", "3");
        put("top", "String", "4");
        assertThat(names(ssm.call("DescribeParameters", Map.of()).path("Parameters")))
                .containsExactly("/svc/deep/three", "/svc/one", "/svc/two", "top");
        assertThat(names(ssm.call("DescribeParameters", Map.of("ParameterFilters", List.of(
                Map.of("Key", "Type", "Values", List.of("SecureString"))))).path("Parameters")))
                .containsExactly("/svc/two");
        assertThat(names(ssm.call("DescribeParameters", Map.of("ParameterFilters", List.of(
                Map.of("Key", "Name", "Option", "BeginsWith", "Values", List.of("/svc/o"))))).path("Parameters")))
                .containsExactly("/svc/one");
        assertThat(names(ssm.call("DescribeParameters", Map.of("ParameterFilters", List.of(
                Map.of("Key", "Path", "Values", List.of("/svc"))))).path("Parameters")))
                .containsExactly("/svc/one", "/svc/two");
        assertThat(names(ssm.call("DescribeParameters", Map.of("ParameterFilters", List.of(
                Map.of("Key", "Path", "Option", "Recursive", "Values", List.of("/svc"))))).path("Parameters")))
                .containsExactly("/svc/deep/three", "/svc/one", "/svc/two");
        assertThat(names(ssm.call("DescribeParameters", Map.of("Filters", List.of(
                Map.of("Key", "Type", "Values", List.of("String"))))).path("Parameters")))
                .containsExactly("/svc/deep/three", "/svc/one", "top");
        ssm.fails("DescribeParameters", Map.of("ParameterFilters", List.of(
                Map.of("Key", "Type", "Option", "Contains", "Values", List.of("S")))), "InvalidFilterOption");
        JsonNode first = ssm.call("DescribeParameters", Map.of("MaxResults", 2));
        assertThat(names(first.path("Parameters"))).containsExactly("/svc/deep/three", "/svc/one");
        assertThat(names(ssm.call("DescribeParameters", Map.of("MaxResults", 2, "NextToken",
                first.path("NextToken").asText())).path("Parameters"))).containsExactly("/svc/two", "top");
    }

    @Test
    void badNamesAndValuesAreRefusedAndChangeNothing() {
        put("/kept", "String", "x");
        ssm.fails("PutParameter", Map.of("Name", "a/b", "Type", "String", "Value", "x"), "ValidationException");
        ssm.fails("PutParameter", Map.of("Name", "/awsThing", "Type", "String", "Value", "x"), "ValidationException");
        ssm.fails("PutParameter", Map.of("Name", "bad name", "Type", "String", "Value", "x"), "ValidationException");
        ssm.fails("PutParameter", Map.of("Name", "/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16", "Type", "String",
                "Value", "x"), "HierarchyLevelLimitExceededException");
        ssm.call("PutParameter", Map.of("Name", "/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15", "Type", "String", "Value", "x"));
        ssm.fails("PutParameter", Map.of("Name", "untyped", "Value", "x"), "ValidationException");
        ssm.fails("PutParameter", Map.of("Name", "/kept", "Value", "y", "Overwrite", true,
                "Tags", List.of(Map.of("Key", "k", "Value", "v"))), "ValidationException");
        ssm.fails("PutParameter", Map.of("Name", "digits", "Type", "String", "Value", "abc",
                "AllowedPattern", "^\\d+$"), "ParameterPatternMismatchException");
        ssm.fails("PutParameter", Map.of("Name", "big", "Type", "String", "Value", "x".repeat(4097)), "ValidationException");
        ssm.fails("GetParameter", Map.of("Name", "/missing"), "ParameterNotFound");
        ssm.fails("DeleteParameter", Map.of("Name", "/missing"), "ParameterNotFound");
        ssm.fails("GetParameterHistory", Map.of("Name", "/missing"), "ParameterNotFound");
    }

    @Test
    void deletingRemovesTheParameterAndItsHistory() {
        put("/d/one", "String", "1");
        put("/d/two", "String", "2");
        ssm.call("DeleteParameter", Map.of("Name", "/d/one"));
        ssm.fails("GetParameter", Map.of("Name", "/d/one"), "ParameterNotFound");
        JsonNode result = ssm.call("DeleteParameters", Map.of("Names", List.of("/d/two", "/d/one")));
        assertThat(result.path("DeletedParameters")).extracting(JsonNode::asText).containsExactly("/d/two");
        assertThat(result.path("InvalidParameters")).extracting(JsonNode::asText).containsExactly("/d/one");
        assertThat(ssm.store.range("/ssm/")).isEmpty();
        assertThat(put("/d/one", "String", "again").path("Version").asLong()).isEqualTo(1);
    }

    @Test
    void tagsAreAddedReplacedRemovedAndListed() {
        ssm.call("PutParameter", Map.of("Name", "tagged", "Type", "String", "Value", "x",
                "Tags", List.of(Map.of("Key", "team", "Value", "a"))));
        ssm.call("AddTagsToResource", Map.of("ResourceType", "Parameter", "ResourceId", "tagged",
                "Tags", List.of(Map.of("Key", "team", "Value", "b"), Map.of("Key", "env", "Value", "dev"))));
        ssm.call("RemoveTagsFromResource", Map.of("ResourceType", "Parameter", "ResourceId", "tagged",
                "TagKeys", List.of("env")));
        JsonNode tags = ssm.call("ListTagsForResource", Map.of("ResourceType", "Parameter", "ResourceId", "tagged"))
                .path("TagList");
        assertThat(tags).hasSize(1);
        assertThat(tags.get(0).path("Key").asText()).isEqualTo("team");
        assertThat(tags.get(0).path("Value").asText()).isEqualTo("b");
        assertThat(names(ssm.call("DescribeParameters", Map.of("ParameterFilters", List.of(
                Map.of("Key", "tag:team", "Values", List.of("b"))))).path("Parameters"))).containsExactly("tagged");
        ssm.fails("AddTagsToResource", Map.of("ResourceType", "Parameter", "ResourceId", "nope",
                "Tags", List.of(Map.of("Key", "k", "Value", "v"))), "InvalidResourceId");
        ssm.fails("ListTagsForResource", Map.of("ResourceType", "Document", "ResourceId", "tagged"), "InvalidResourceType");
    }
}
