package dev.stevedore.control.iam;

import dev.stevedore.model.iam.AttachedPermissionsBoundary;
import dev.stevedore.model.iam.Tag;

import java.util.List;

/** What users and roles have in common: a name, an id, an ARN, policies and tags. */
public interface IamEntity {
    EntityKind kind();

    String name();

    String id();

    String arn();

    String path();

    Grants grants();

    /** Its tags, empty when it has none. */
    List<Tag> tagList();

    AttachedPermissionsBoundary boundary();

    IamEntity withGrants(Grants grants);

    /** With these tags; none stays absent on the wire. */
    IamEntity withTags(List<Tag> tags);
}
