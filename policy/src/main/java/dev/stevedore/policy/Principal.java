package dev.stevedore.policy;

import java.util.Optional;

/** Who makes a request, as the evaluator needs it. */
public sealed interface Principal {

    /**
     * An IAM identity of an account: the root, a user, or a role session.
     *
     * @param account the principal's account id
     * @param arn the IAM principal's ARN ({@code aws:PrincipalArn}): the user's ARN, the root's
     *     ({@code arn:aws:iam::123456789012:root}), or for a role session the role's ARN
     * @param sessionArn a role session's own ARN ({@code arn:aws:sts::123456789012:assumed-role/R/S})
     */
    record Aws(String account, String arn, Optional<String> sessionArn) implements Principal {
        public boolean isRoleSession() {
            return sessionArn.isPresent();
        }
    }

    /** An AWS service acting for itself, e.g. {@code ecs-tasks.amazonaws.com} assuming a task role. */
    record Service(String name) implements Principal {}

    static Aws root(String account) {
        return new Aws(account, "arn:aws:iam::" + account + ":root", Optional.empty());
    }

    static Aws user(String account, String userArn) {
        return new Aws(account, userArn, Optional.empty());
    }

    static Aws roleSession(String account, String roleArn, String sessionArn) {
        return new Aws(account, roleArn, Optional.of(sessionArn));
    }

    static Service service(String name) {
        return new Service(name);
    }
}
