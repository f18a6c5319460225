package dev.stevedore.control.sts;

import dev.stevedore.control.ecs.agent.TaskRoleCredentials;
import dev.stevedore.control.ecs.task.TaskRoleTrust;
import dev.stevedore.model.agent.TaskCredentials;
import dev.stevedore.model.ecs.Task;
import dev.stevedore.model.ecs.TaskDefinition;
import dev.stevedore.control.ecs.Arns;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credentials of tasks' roles, as ECS gets them: the service {@code ecs-tasks.amazonaws.com}
 * assumes the role (its trust policy must allow that service), session name = the task id, so inside
 * the task {@code sts get-caller-identity} says {@code assumed-role/<role>/<task id>}.
 *
 * <p>Sessions last {@link #LIFETIME} and are replaced once less than half of it is left. The id a
 * container asks its credentials by is derived from the task and the role with a key of its own
 * (unguessable without the key, and the same on every connection and after a restart), so a
 * container created with it keeps working through refreshes and reconnects.
 */
public final class TaskRoleSessions implements TaskRoleCredentials, TaskRoleTrust {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRoleSessions.class);
    public static final String ECS_TASKS = "ecs-tasks.amazonaws.com";
    static final Duration LIFETIME = Duration.ofHours(6);

    private final SessionTokens sessions;
    private final IdentityDirectory identities;
    private final BiPredicate<String, AssumableRole> serviceMayAssume;
    private final RolePermissions permissions;
    private final Clock clock;
    private final HmacKey idKey;

    /**
     * @param serviceMayAssume whether a service principal may assume a role (its trust policy)
     */
    public TaskRoleSessions(SessionTokens sessions, IdentityDirectory identities,
                            BiPredicate<String, AssumableRole> serviceMayAssume, byte[] identityKey, Clock clock) {
        this(sessions, identities, serviceMayAssume, (roleArn, action, resource, policy) -> true, identityKey, clock);
    }

    /**
     * @param serviceMayAssume whether a service principal may assume a role (its trust policy)
     * @param permissions      what a session of a role may do (IAM's evaluation of its policies)
     */
    public TaskRoleSessions(SessionTokens sessions, IdentityDirectory identities,
                            BiPredicate<String, AssumableRole> serviceMayAssume, RolePermissions permissions,
                            byte[] identityKey, Clock clock) {
        this.permissions = Objects.requireNonNull(permissions, "permissions");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.identities = Objects.requireNonNull(identities, "identities");
        this.serviceMayAssume = Objects.requireNonNull(serviceMayAssume, "serviceMayAssume");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.idKey = new HmacKey(identityKey).derive("stevedore/ecs/task-credentials-id");
    }

    @Override
    public List<TaskCredentials> issue(Task task, TaskDefinition definition) {
        List<TaskCredentials> issued = new ArrayList<>();
        TaskRoleTrust.taskRole(definition, task.overrides())
                .flatMap(role -> session(task, role, TaskCredentials.Role.TASK)).ifPresent(issued::add);
        TaskRoleTrust.executionRole(definition, task.overrides())
                .flatMap(role -> session(task, role, TaskCredentials.Role.EXECUTION)).ifPresent(issued::add);
        return issued;
    }

    @Override
    public boolean ecsTasksMayAssume(String accountId, String roleArn) {
        return assumable(accountId, roleArn).isPresent();
    }

    private Optional<AssumableRole> assumable(String accountId, String roleArn) {
        return identities.role(accountId, roleArn).filter(found -> serviceMayAssume.test(ECS_TASKS, found));
    }

    @Override
    public boolean roleMayAct(String roleArn, String action, String resourceArn, String resourcePolicy) {
        return permissions.allows(roleArn, action, resourceArn, resourcePolicy);
    }

    /** What a session of a role may do: its identity policies, with the resource's own policy ("" for none). */
    @FunctionalInterface
    public interface RolePermissions {
        boolean allows(String roleArn, String action, String resourceArn, String resourcePolicy);
    }

    @Override
    public boolean dueForRefresh(Instant expiration, Instant now) {
        return !now.isBefore(expiration.minus(LIFETIME.dividedBy(2)));
    }

    private Optional<TaskCredentials> session(Task task, String roleArn, TaskCredentials.Role kind) {
        String accountId = Arns.parse(task.taskArn()).map(Arns.Arn::account)
                .orElseThrow(() -> new IllegalArgumentException("not an ARN: " + task.taskArn()));
        Optional<AssumableRole> role = assumable(accountId, roleArn);
        if (role.isEmpty()) {
            // RunTask (and the service scheduler) checked this; the role changed since. The task runs without these credentials,
            // as an ECS task whose role can no longer be assumed gets none.
            LOG.warn("{} of {} cannot be assumed by {}: no credentials for it", roleArn, task.taskArn(), ECS_TASKS);
            return Optional.empty();
        }
        String taskId = task.taskArn().substring(task.taskArn().lastIndexOf('/') + 1);
        Instant now = clock.instant();
        String sessionArn = "arn:aws:sts::" + accountId + ":assumed-role/" + role.get().name() + "/" + taskId;
        TemporaryCredentials credentials = sessions.issue(new SessionGrant(accountId, sessionArn, role.get().arn(),
                role.get().roleId() + ":" + taskId, now, now.plus(LIFETIME), Optional.empty(), List.of()));
        return Optional.of(new TaskCredentials(credentialsId(task.taskArn(), kind), kind, role.get().arn(),
                credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken(),
                credentials.expiration()));
    }

    private String credentialsId(String taskArn, TaskCredentials.Role kind) {
        ByteBuffer bits = ByteBuffer.wrap(idKey.mac((kind + "\n" + taskArn).getBytes(StandardCharsets.UTF_8)));
        return new UUID(bits.getLong(), bits.getLong()).toString();
    }
}
