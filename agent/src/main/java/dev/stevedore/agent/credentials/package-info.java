/**
 * A joined agent's credentials: the instance-role keys it got for a one-time join token
 * ({@link dev.stevedore.agent.credentials.AgentJoin}), kept in its data directory
 * ({@link dev.stevedore.agent.credentials.InstanceCredentialsFile}) and replaced before they expire
 * ({@link dev.stevedore.agent.credentials.RefreshingCredentials}, the
 * {@link dev.stevedore.agent.api.CredentialSource} the agent's clients sign with). The calls to the
 * control plane are {@link dev.stevedore.agent.api.InstanceCredentialsClient}'s.
 */
package dev.stevedore.agent.credentials;
