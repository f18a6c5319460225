package dev.stevedore.agent.api;

/**
 * Where the agent's signing keys come from, asked at every signature (an ECS call, the channel
 * URL), so that keys replaced in the background are used from the next request on. Asking never
 * waits on the network: a source that refreshes does so on its own thread and answers with what it
 * holds.
 */
@FunctionalInterface
public interface CredentialSource {

    /** The keys to sign the next request with. */
    AgentCredentials current();
}
