package dev.stevedore.agent.host;

import dev.stevedore.agent.runtime.HostInfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The capability attributes this agent registers: the names task definitions require (ECS's
 * {@code requiresAttributes}) for the features this agent's task engine really implements on this
 * host. A capability missing here makes placement refuse such tasks with a clear reason, which is
 * better than placing them and ignoring part of their definition.
 *
 * <p>Not listed, because the engine does not apply them yet: the awsfirelens logging driver,
 * task IAM roles for host-mode tasks (their containers cannot reach 169.254.170.2), pid/ipc modes, restart policies, FireLens. awsvpc ({@code task-eni})
 * only on x86-64 hosts: the pause program that holds a task's network namespace is x86-64 code.
 */
public final class Capabilities {
    static final String LEGACY = "com.amazonaws.ecs.capability.";
    static final String CURRENT = "ecs.capability.";
    /** The oldest Docker Remote API version ECS names; every engine Stevedore supports speaks it. */
    static final int FIRST_REMOTE_API_MINOR = 17;

    private Capabilities() {
    }

    /**
     * @param taskLimits whether task-level cpu and memory limits are enforced on this host (task cgroups)
     * @param taskRoles  whether this agent serves task role credentials at 169.254.170.2 (it can route there);
     *                   the same routing takes the Docker daemon to a task's execution role credentials,
     *                   so it is also whether the daemon's awslogs driver can ship for this agent
     */
    public static List<String> of(HostInfo host, boolean taskLimits, boolean taskRoles) {
        List<String> names = new ArrayList<>();
        int minor = remoteApiMinor(host.apiVersion());
        for (int v = FIRST_REMOTE_API_MINOR; v <= minor; v++) {
            names.add(LEGACY + "docker-remote-api.1." + v);
        }
        names.add(LEGACY + "privileged-container");
        for (String driver : dev.stevedore.agent.engine.LogDrivers.SUPPORTED) {
            names.add(LEGACY + "logging-driver." + driver);
        }
        names.add(CURRENT + "container-health-check");
        names.add(CURRENT + "container-ordering");
        names.add(CURRENT + "docker-plugin.local");
        names.add(CURRENT + "network.container-port-range");
        // The engine reads these with the task's execution role before it creates any container.
        names.add(CURRENT + "secrets.ssm.environment-variables");
        names.add(CURRENT + "secrets.asm.environment-variables");
        names.add(CURRENT + "secrets.ssm.bootstrap.log-driver");
        names.add(CURRENT + "secrets.asm.bootstrap.log-driver");
        names.add(CURRENT + "private-registry-authentication.secretsmanager");
        if (taskLimits) {
            names.add(CURRENT + "task-cpu-mem-limit");
        }
        if (taskRoles) {
            names.add(LEGACY + "task-iam-role");
            names.add(LEGACY + "logging-driver." + dev.stevedore.agent.engine.AwsLogs.DRIVER);
            names.add(CURRENT + "execution-role-awslogs");
        }
        // EFS volumes are the file systems' Gluster volumes, mounted with the FUSE client; access points'
        // POSIX users (efsAuth: access points and IAM authorization) need bindfs besides.
        if (dev.stevedore.agent.efs.FuseMounts.available()) {
            names.add(CURRENT + "efs");
            if (dev.stevedore.agent.efs.FuseMounts.bindfsAvailable()) {
                names.add(CURRENT + "efsAuth");
            }
        }
        if (dev.stevedore.agent.engine.TaskEngine.runsAwsvpc(host)) {
            names.add(CURRENT + "task-eni");
        }
        return names;
    }

    /**
     * Whether this host can take task-level limits the way the task engine makes them: cgroup v1
     * with the cgroupfs driver and the cpu and memory controllers mounted under {@code cgroupRoot}.
     */
    public static boolean taskLimitsEnforced(HostInfo host, Path cgroupRoot) {
        return dev.stevedore.agent.engine.TaskEngine.enforcesTaskLimits(host, cgroupRoot);
    }

    /** The minor version of a "1.x" API version; one below the first ECS names when unreadable. */
    static int remoteApiMinor(String apiVersion) {
        String[] parts = apiVersion.strip().split("\\.");
        if (parts.length < 2 || !"1".equals(parts[0])) {
            return FIRST_REMOTE_API_MINOR - 1;
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return FIRST_REMOTE_API_MINOR - 1;
        }
    }
}
