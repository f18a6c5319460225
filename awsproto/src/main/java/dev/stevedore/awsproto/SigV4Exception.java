package dev.stevedore.awsproto;

import java.util.Objects;

/**
 * A request refused by signature verification.
 *
 * <p>The code and status are those the AWS front end of the JSON services (ECS, DynamoDB, CloudWatch
 * Logs, ...) answers with. Sources: ECS answers {@code InvalidSignatureException} "Signature not yet
 * current: ... (... + 5 min.)" with status 400 (aws/amazon-ecs-agent#1513) and
 * {@code UnrecognizedClientException} "The security token included in the request is invalid." with
 * status 400 (aws-azure-login/aws-azure-login#37, ecs-cli); JSON services answer
 * {@code IncompleteSignatureException} with 400 (iann0036/cloud9-sync#10) and a wrongly scoped
 * credential with 400 {@code InvalidSignatureException} "Credential should be scoped to correct
 * service: '...'. " (aws/aws-sdk-ruby#431); DynamoDB documents {@code MissingAuthenticationTokenException}
 * as 400. The 403 variants seen on the web come from API Gateway based (REST) services, not from these.
 * Protocols that spell these errors differently (Query: {@code SignatureDoesNotMatch}, 403) map
 * {@link #reason()} in their {@link ProtocolEndpoint#error}.
 */
public final class SigV4Exception extends AwsException {

    private static final long serialVersionUID = 1L;

    /** Why the signature was refused. */
    public enum Reason {
        /** No Authorization header and no presigned query parameters. */
        MISSING_AUTHENTICATION("MissingAuthenticationTokenException"),
        /** The signature parameters are malformed or incomplete. */
        INCOMPLETE_SIGNATURE("IncompleteSignatureException"),
        /** The access key, or the session token that goes with it, is unknown. */
        UNRECOGNIZED_CLIENT("UnrecognizedClientException"),
        /** The temporary credentials have expired. */
        EXPIRED_TOKEN("ExpiredTokenException"),
        /** The credential scope names another service, an invalid region or a wrong date or terminator. */
        INVALID_CREDENTIAL_SCOPE("InvalidSignatureException"),
        /** The request was signed too long ago, or its presigned validity has run out. */
        SIGNATURE_EXPIRED("InvalidSignatureException"),
        /** The request was signed for a time too far in the future. */
        SIGNATURE_NOT_YET_CURRENT("InvalidSignatureException"),
        /** The signature does not match the request. */
        SIGNATURE_MISMATCH("InvalidSignatureException");

        private final String jsonCode;

        Reason(String jsonCode) {
            this.jsonCode = jsonCode;
        }

        /** The error code the JSON services answer with. */
        public String jsonCode() {
            return jsonCode;
        }
    }

    static final String MISMATCH_MESSAGE = "The request signature we calculated does not match the signature you "
            + "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation "
            + "for details.";

    private final Reason reason;

    public SigV4Exception(Reason reason, String message) {
        super(Objects.requireNonNull(reason, "reason").jsonCode(), 400, message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
