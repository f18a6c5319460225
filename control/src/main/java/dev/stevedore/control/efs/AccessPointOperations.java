package dev.stevedore.control.efs;

import dev.stevedore.awsproto.CallContext;
import dev.stevedore.awsproto.JsonOperation;
import dev.stevedore.control.ecs.Operations;
import dev.stevedore.control.state.StoreTx;
import dev.stevedore.model.efs.AccessPointDescription;
import dev.stevedore.model.efs.CreateAccessPointRequest;
import dev.stevedore.model.efs.DeleteAccessPointRequest;
import dev.stevedore.model.efs.DescribeAccessPointsRequest;
import dev.stevedore.model.efs.DescribeAccessPointsResponse;
import dev.stevedore.model.efs.RootDirectory;
import dev.stevedore.model.efs.Tag;
import dev.stevedore.store.StateStore;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CreateAccessPoint, DescribeAccessPoints and DeleteAccessPoint. The client token is a key of its own
 * naming the access point it made, so a retried call is told which one exists.
 */
final class AccessPointOperations {
    private static final int DEFAULT_MAX_RESULTS = 100;
    /** EFS allows a root directory path of up to four directories below the file system's root. */
    private static final int MAX_PATH_DEPTH = 4;

    private final StateStore store;

    AccessPointOperations(StateStore store) {
        this.store = store;
    }

    Map<String, JsonOperation> operations() {
        return Map.of(
                "CreateAccessPoint", Operations.typed(CreateAccessPointRequest.class, this::create),
                "DescribeAccessPoints", Operations.typed(DescribeAccessPointsRequest.class, this::describe),
                "DeleteAccessPoint", Operations.typed(DeleteAccessPointRequest.class, this::delete));
    }

    /** The token's key holds the id of the access point it made. */
    record TokenClaim(String accessPointId) {
    }

    AccessPointDescription create(CallContext ctx, CreateAccessPointRequest r) {
        EfsScope scope = EfsScope.of(ctx);
        String fsId = EfsIds.fileSystemId(r.fileSystemId());
        RootDirectory root = r.rootDirectory() == null ? RootDirectory.builder().path("/").build()
                : r.rootDirectory().toBuilder().path(checkedPath(Optional.ofNullable(r.rootDirectory().path()).orElse("/")))
                        .build();
        List<Tag> tags = EfsTags.checked(Optional.ofNullable(r.tags()).orElse(List.of()));
        String id = EfsIds.newId("fsap");
        StoredAccessPoint ap = new StoredAccessPoint(id, fsId, r.clientToken(), Optional.ofNullable(r.posixUser()), root,
                tags);
        return StoreTx.run(store, tx -> {
            Optional<TokenClaim> claimed = tx.read(scope.clientToken(r.clientToken()), TokenClaim.class);
            if (claimed.isPresent()) {
                throw EfsErrors.accessPointAlreadyExists(claimed.get().accessPointId(), r.clientToken());
            }
            StoredFileSystem fs = FileSystemStore.available(tx, scope, fsId);
            tx.put(scope.clientToken(r.clientToken()), new TokenClaim(id));
            tx.put(scope.accessPoint(id), ap);
            // Rewritten so that a DeleteFileSystem racing this call sees the access point or fails.
            tx.put(scope.fileSystem(fsId), fs);
            return ap.describe(scope);
        });
    }

    /**
     * An absolute path of at most four directories, none of them {@code .} or {@code ..}: an access
     * point's root must stay inside the file system, which {@code ..} could leave.
     */
    static String checkedPath(String path) {
        if (!path.startsWith("/")) {
            throw EfsErrors.badRequest("RootDirectory Path '" + path + "' must be an absolute path.");
        }
        if (path.equals("/")) {
            return path;
        }
        String[] parts = (path.endsWith("/") ? path.substring(1, path.length() - 1) : path.substring(1)).split("/", -1);
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw EfsErrors.badRequest("RootDirectory Path '" + path + "' must not contain empty, '.' or '..' "
                        + "components.");
            }
        }
        if (parts.length > MAX_PATH_DEPTH) {
            throw EfsErrors.badRequest("RootDirectory Path '" + path + "' has more than " + MAX_PATH_DEPTH
                    + " subdirectories.");
        }
        return path;
    }

    DescribeAccessPointsResponse describe(CallContext ctx, DescribeAccessPointsRequest r) {
        EfsScope scope = EfsScope.of(ctx);
        if (r.fileSystemId() != null && r.accessPointId() != null) {
            throw EfsErrors.badRequest("Specify either FileSystemId or AccessPointId, not both.");
        }
        FileSystemStore records = new FileSystemStore(store, scope);
        List<StoredAccessPoint> all = records.accessPoints();
        List<StoredAccessPoint> chosen;
        if (r.accessPointId() != null) {
            String id = EfsIds.accessPointId(r.accessPointId());
            chosen = all.stream().filter(ap -> ap.accessPointId().equals(id)).toList();
            if (chosen.isEmpty()) {
                throw EfsErrors.accessPointNotFound(id);
            }
        } else if (r.fileSystemId() != null) {
            String fsId = EfsIds.fileSystemId(r.fileSystemId());
            if (records.find(fsId).isEmpty()) {
                throw EfsErrors.fileSystemNotFound(fsId);
            }
            chosen = all.stream().filter(ap -> ap.fileSystemId().equals(fsId)).toList();
        } else {
            chosen = all;
        }
        Pages.Page<StoredAccessPoint> page = Pages.page(
                chosen.stream().sorted(Comparator.comparing(StoredAccessPoint::accessPointId)).toList(),
                StoredAccessPoint::accessPointId, r.nextToken(), r.maxResults(), DEFAULT_MAX_RESULTS);
        return DescribeAccessPointsResponse.builder()
                .accessPoints(page.items().stream().map(ap -> ap.describe(scope)).toList())
                .nextToken(page.nextOrNull())
                .build();
    }

    Object delete(CallContext ctx, DeleteAccessPointRequest r) {
        EfsScope scope = EfsScope.of(ctx);
        String id = EfsIds.accessPointId(r.accessPointId());
        StoreTx.run(store, tx -> {
            StoredAccessPoint ap = tx.read(scope.accessPoint(id), StoredAccessPoint.class)
                    .orElseThrow(() -> EfsErrors.accessPointNotFound(id));
            tx.delete(scope.accessPoint(id));
            tx.delete(scope.clientToken(ap.clientToken()));
            return null;
        });
        return null;
    }
}
