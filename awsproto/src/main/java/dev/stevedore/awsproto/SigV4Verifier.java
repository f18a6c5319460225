package dev.stevedore.awsproto;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies AWS Signature Version 4 on requests, in header form ({@code Authorization:
 * AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...} with {@code X-Amz-Date}) and in
 * presigned query form ({@code X-Amz-Algorithm}, {@code X-Amz-Credential}, {@code X-Amz-Date},
 * {@code X-Amz-SignedHeaders}, {@code X-Amz-Signature}, optional {@code X-Amz-Expires}).
 *
 * <p>Checks, in order: the signature parameters are complete and well formed; the credential scope
 * has the {@code aws4_request} terminator, a valid region, the date of the signing time and (when
 * asked) the expected service; the signing time is within 5 minutes of the clock (presigned: not
 * before signing minus 5 minutes, not after the expiry); the access key is known and unexpired; a
 * session token is present, signed and equal exactly when the key has one; the signature matches.
 * The expected signature is computed with the AWS SDK's signer where it can reproduce the client's
 * choices and by hand otherwise (see {@link SdkSigV4}); signatures are compared in constant time.
 * Every refusal is a {@link SigV4Exception}.
 */
public final class SigV4Verifier {

    private static final Logger LOG = LoggerFactory.getLogger(SigV4Verifier.class);
    private static final Duration ALLOWED_SKEW = Duration.ofMinutes(5);
    private static final Pattern REGION = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,62})");

    private final CredentialsLookup lookup;
    private final Clock clock;

    public SigV4Verifier(CredentialsLookup lookup, Clock clock) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Verifies a request signed for any service.
     *
     * @throws SigV4Exception when the request is not correctly signed by a known key
     */
    public VerifiedRequest verify(HttpRequest request) {
        return verify(request, Optional.empty());
    }

    /**
     * Verifies a request that must be signed for the given service (the endpoint's signing name).
     *
     * @throws SigV4Exception when the request is not correctly signed by a known key for that service
     */
    public VerifiedRequest verify(HttpRequest request, String expectedService) {
        return verify(request, Optional.of(expectedService));
    }

    private VerifiedRequest verify(HttpRequest request, Optional<String> expectedService) {
        SigV4Auth auth = SigV4Auth.parse(request);
        checkScope(auth, expectedService);
        checkTime(auth, clock.instant());
        SigningIdentity identity = lookup.find(auth.accessKeyId(), auth.securityToken().map(String::trim)).orElseThrow(SigV4Verifier::unrecognized);
        if (identity.expiration().filter(expiry -> !clock.instant().isBefore(expiry)).isPresent()) {
            throw new SigV4Exception(SigV4Exception.Reason.EXPIRED_TOKEN,
                    "The security token included in the request is expired");
        }
        checkToken(auth, identity);
        String expected = SdkSigV4.signature(request, auth, identity.secretAccessKey())
                .orElseGet(() -> ManualSigV4.signature(request, auth, identity.secretAccessKey()));
        if (!SigV4Encoding.constantTimeEquals(expected, auth.signature())) {
            if (LOG.isDebugEnabled()) {
                // The canonical request is what a client author needs to compare; the token is a credential.
                LOG.debug("Signature mismatch for key {}; expected canonical request:\n{}", auth.accessKeyId(),
                        ManualSigV4.canonicalRequest(request, auth).replaceAll("(?m)^(x-amz-security-token:).*$", "$1***"));
            }
            throw new SigV4Exception(SigV4Exception.Reason.SIGNATURE_MISMATCH, SigV4Exception.MISMATCH_MESSAGE);
        }
        return new VerifiedRequest(identity.principal(), auth.region(), auth.service());
    }

    private static void checkScope(SigV4Auth auth, Optional<String> expectedService) {
        if (!auth.terminator().equals("aws4_request")) {
            throw scope("Credential should be scoped with a valid terminator: 'aws4_request', not '"
                    + auth.terminator() + "'.");
        }
        if (!REGION.matcher(auth.region()).matches()) {
            throw scope("Credential should be scoped to a valid region, not '" + auth.region() + "'. ");
        }
        if (expectedService.isPresent() && !expectedService.get().equals(auth.service())) {
            throw scope("Credential should be scoped to correct service: '" + expectedService.get() + "'. ");
        }
        String day = auth.amzDate().substring(0, 8);
        if (!auth.scopeDate().equals(day)) {
            throw scope("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                    + auth.scopeDate() + "' != '" + day + "', from '" + auth.amzDate() + "'.");
        }
    }

    private static void checkTime(SigV4Auth auth, Instant now) {
        Instant earliest = now.minus(ALLOWED_SKEW);
        Instant latest = now.plus(ALLOWED_SKEW);
        if (auth.signedAt().isAfter(latest)) {
            throw new SigV4Exception(SigV4Exception.Reason.SIGNATURE_NOT_YET_CURRENT, "Signature not yet current: "
                    + auth.amzDate() + " is still later than " + basic(latest) + " (" + basic(now) + " + 5 min.)");
        }
        if (auth.presigned() && auth.expires().isPresent()) {
            Duration validity = auth.expires().get();
            if (now.isAfter(auth.signedAt().plus(validity))) {
                throw new SigV4Exception(SigV4Exception.Reason.SIGNATURE_EXPIRED, "Signature expired: "
                        + auth.amzDate() + " is now earlier than " + basic(now.minus(validity)) + " (" + basic(now)
                        + " - " + validity.toSeconds() + " sec.)");
            }
        } else if (auth.signedAt().isBefore(earliest)) {
            throw new SigV4Exception(SigV4Exception.Reason.SIGNATURE_EXPIRED, "Signature expired: "
                    + auth.amzDate() + " is now earlier than " + basic(earliest) + " (" + basic(now) + " - 5 min.)");
        }
    }

    private static void checkToken(SigV4Auth auth, SigningIdentity identity) {
        if (identity.sessionToken().isEmpty()) {
            if (auth.securityToken().isPresent()) {
                throw unrecognized();
            }
            return;
        }
        String provided = auth.securityToken().orElseThrow(SigV4Verifier::unrecognized);
        if (!SigV4Encoding.constantTimeEquals(identity.sessionToken().get(), provided.trim())) {
            throw unrecognized();
        }
        // A presigned token is a query parameter and as such always part of the signature.
        if (!auth.presigned() && !auth.signedHeaders().contains("x-amz-security-token")) {
            throw new SigV4Exception(SigV4Exception.Reason.INCOMPLETE_SIGNATURE,
                    "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.");
        }
    }

    private static SigV4Exception unrecognized() {
        return new SigV4Exception(SigV4Exception.Reason.UNRECOGNIZED_CLIENT,
                "The security token included in the request is invalid.");
    }

    private static SigV4Exception scope(String message) {
        return new SigV4Exception(SigV4Exception.Reason.INVALID_CREDENTIAL_SCOPE, message);
    }

    private static String basic(Instant instant) {
        return SigV4Auth.BASIC_FORMAT.format(instant);
    }
}
