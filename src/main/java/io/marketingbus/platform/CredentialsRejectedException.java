package io.marketingbus.platform;

/**
 * The token endpoint refused a credential ({@code invalid_grant}: a revoked or expired refresh token;
 * {@code invalid_client}: a wrong client id or secret; any 400/401 of the token endpoint). A setup error, not a
 * failure of the event: the retry policy holds the destination's events on Kafka (nothing dead-lettered, attempts not
 * counted) and the {@code credentials} health check and {@code marketing_bus_credentials_valid} say why.
 */
public final class CredentialsRejectedException extends RuntimeException {

    private final String credential;

    public CredentialsRejectedException(String credential, String reason) {
        super("credential " + credential + " was refused by its token endpoint: " + reason
                + " (fix the " + credential + ".oauth.* settings and restart)");
        this.credential = credential;
    }

    /** A static credential (an API secret, a service account) the platform itself refused with a 401 or 403. */
    public static CredentialsRejectedException refusedByPlatform(String credential, String reason) {
        return new CredentialsRejectedException(credential, "credential " + credential + " was refused: " + reason
                + " (fix the " + credential + " settings and restart)", null);
    }

    private CredentialsRejectedException(String credential, String message, Void fullMessage) {
        super(message);
        this.credential = credential;
    }

    public String credential() {
        return credential;
    }
}
