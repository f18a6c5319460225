package dev.stevedore.control.secretsmanager;

/** The staging labels Secrets Manager itself moves. */
final class SecretStages {
    static final String CURRENT = "AWSCURRENT";
    static final String PREVIOUS = "AWSPREVIOUS";

    private SecretStages() {
    }
}
