package dev.stevedore.control.efs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AccessRequest;
import dev.stevedore.awsproto.AccessRule;
import dev.stevedore.awsproto.CallContext;
import dev.stevedore.control.access.Conditions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each EFS operation needs, after the Service Authorization Reference for Amazon EFS: the action
 * {@code elasticfilesystem:OPERATION} on the file system or access point the input names, by ARN.
 * A call that names neither (CreateFileSystem, a Describe of everything, DeleteMountTarget, a
 * DescribeMountTargets by mount target) is asked on {@code *}: rules do not read the store, and
 * the file system behind a mount target is in the store. Tags a call adds or removes are
 * {@code aws:RequestTag/K} and {@code aws:TagKeys}.
 */
final class EfsAccessRules {
    private static final String SERVICE = "elasticfilesystem:";

    private EfsAccessRules() {
    }

    static Map<String, AccessRule> rules() {
        Map<String, AccessRule> rules = new HashMap<>();
        rules.put("CreateFileSystem", (ctx, in) -> List.of(new AccessRequest(SERVICE + "CreateFileSystem", "*",
                Conditions.none().withRequestTags(in.path("Tags"), "Key", "Value").toMap())));
        for (String op : List.of("DeleteFileSystem", "CreateMountTarget", "PutFileSystemPolicy",
                "DescribeFileSystemPolicy", "DeleteFileSystemPolicy", "PutLifecycleConfiguration",
                "DescribeLifecycleConfiguration", "PutBackupPolicy", "DescribeBackupPolicy")) {
            rules.put(op, onFileSystem(op));
        }
        rules.put("CreateAccessPoint", (ctx, in) -> List.of(new AccessRequest(SERVICE + "CreateAccessPoint",
                fileSystemArn(ctx, in.path("FileSystemId").asText()),
                Conditions.none().withRequestTags(in.path("Tags"), "Key", "Value").toMap())));
        rules.put("DescribeFileSystems", (ctx, in) -> List.of(new AccessRequest(SERVICE + "DescribeFileSystems",
                in.has("FileSystemId") ? fileSystemArn(ctx, in.get("FileSystemId").asText()) : "*")));
        rules.put("DescribeMountTargets", (ctx, in) -> List.of(new AccessRequest(SERVICE + "DescribeMountTargets",
                in.has("FileSystemId") ? fileSystemArn(ctx, in.get("FileSystemId").asText())
                        : in.has("AccessPointId") ? accessPointArn(ctx, in.get("AccessPointId").asText()) : "*")));
        rules.put("DeleteMountTarget", AccessRule.anyResource(SERVICE + "DeleteMountTarget"));
        rules.put("DescribeAccessPoints", (ctx, in) -> List.of(new AccessRequest(SERVICE + "DescribeAccessPoints",
                in.has("AccessPointId") ? accessPointArn(ctx, in.get("AccessPointId").asText())
                        : in.has("FileSystemId") ? fileSystemArn(ctx, in.get("FileSystemId").asText()) : "*")));
        rules.put("DeleteAccessPoint", (ctx, in) -> List.of(new AccessRequest(SERVICE + "DeleteAccessPoint",
                accessPointArn(ctx, in.path("AccessPointId").asText()))));
        rules.put("TagResource", (ctx, in) -> List.of(new AccessRequest(SERVICE + "TagResource", resourceArn(ctx, in),
                Conditions.none().withRequestTags(in.path("Tags"), "Key", "Value").toMap())));
        rules.put("UntagResource", (ctx, in) -> List.of(new AccessRequest(SERVICE + "UntagResource",
                resourceArn(ctx, in), Conditions.none().withAll("aws:TagKeys", texts(in.path("TagKeys"))).toMap())));
        rules.put("ListTagsForResource", (ctx, in) -> List.of(new AccessRequest(SERVICE + "ListTagsForResource",
                resourceArn(ctx, in))));
        return rules;
    }

    private static AccessRule onFileSystem(String operation) {
        return (ctx, in) -> List.of(new AccessRequest(SERVICE + operation,
                fileSystemArn(ctx, in.path("FileSystemId").asText())));
    }

    private static String resourceArn(CallContext ctx, ObjectNode in) {
        String id = in.path("ResourceId").asText();
        return EfsTags.isAccessPoint(id) ? accessPointArn(ctx, id) : fileSystemArn(ctx, id);
    }

    private static String fileSystemArn(CallContext ctx, String idOrArn) {
        return idOrArn.startsWith("arn:") ? idOrArn : EfsScope.of(ctx).fileSystemArn(idOrArn);
    }

    private static String accessPointArn(CallContext ctx, String idOrArn) {
        return idOrArn.startsWith("arn:") ? idOrArn : EfsScope.of(ctx).accessPointArn(idOrArn);
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
