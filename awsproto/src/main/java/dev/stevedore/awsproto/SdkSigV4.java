package dev.stevedore.awsproto;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The expected signature of a request, computed by the AWS SDK's own {@link AwsV4HttpSigner}: the
 * request is rebuilt from exactly its signed headers, its query and its raw body, and signed with the
 * caller's secret, the credential scope's region and service, and a clock fixed at the signing time.
 *
 * <p>The SDK signer always adds headers of its own to what it signs, so it can only reproduce
 * signatures whose {@code SignedHeaders} already contain them: in header form it adds
 * {@code x-amz-content-sha256} and {@code x-amz-date}. The SDKs for Java sign both, but botocore (the
 * AWS CLI), Go and JavaScript do not sign {@code x-amz-content-sha256} for non-S3 services, and some
 * clients use {@code Date} instead of {@code X-Amz-Date}. The SDK signer also never signs
 * {@code user-agent}, {@code expect}, {@code connection} and {@code x-amzn-trace-id}. For those requests
 * {@link #signature} answers empty and the verifier falls back to {@link ManualSigV4}.
 */
final class SdkSigV4 {

    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
    private static final Set<String> NEVER_SIGNED_BY_SDK = Set.of("connection", "x-amzn-trace-id", "user-agent", "expect");

    private SdkSigV4() {
    }

    /** Whether the SDK signer, given this request, signs exactly the headers the client signed. */
    static boolean canReproduce(SigV4Auth auth) {
        if (auth.signedHeaders().stream().anyMatch(NEVER_SIGNED_BY_SDK::contains)) {
            return false;
        }
        return auth.presigned() || (auth.amzDateHeader() && auth.signedHeaders().contains("x-amz-date")
                && auth.signedHeaders().contains("x-amz-content-sha256"));
    }

    /** The signature the SDK computes, or empty when it cannot reproduce this request's signing choices. */
    static Optional<String> signature(HttpRequest request, SigV4Auth auth, String secretAccessKey) {
        if (!canReproduce(auth) || !contentHashHeaderIsTrue(request, auth)) {
            return Optional.empty();
        }
        SdkHttpRequest.Builder sdkRequest;
        try {
            sdkRequest = SdkHttpRequest.builder()
                    .method(SdkHttpMethod.fromValue(request.method()))
                    // The Host header below is signed verbatim; protocol and host only have to be valid.
                    .protocol("https").host("localhost")
                    .encodedPath(request.path().isEmpty() ? "/" : request.path());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> param : SigV4Encoding.parseQuery(request.rawQuery())) {
            if (!(auth.presigned() && SigV4Auth.QUERY_AUTH_PARAMS.contains(param.getKey()))) {
                sdkRequest.appendRawQueryParameter(param.getKey(), param.getValue());
            }
        }
        for (String name : auth.signedHeaders()) {
            request.headers().all(name).forEach(value -> sdkRequest.appendHeader(name, value));
        }
        boolean tokenSigned = auth.presigned() ? auth.securityToken().isPresent()
                : auth.signedHeaders().contains("x-amz-security-token");
        AwsCredentialsIdentity identity = tokenSigned
                ? AwsSessionCredentialsIdentity.create(auth.accessKeyId(), secretAccessKey, auth.securityToken().orElse(""))
                : AwsCredentialsIdentity.create(auth.accessKeyId(), secretAccessKey);
        SignRequest.Builder<AwsCredentialsIdentity> sign = SignRequest.builder(identity)
                .request(sdkRequest.build())
                .payload(ContentStreamProvider.fromByteArrayUnsafe(request.body()))
                .putProperty(AwsV4HttpSigner.REGION_NAME, auth.region())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, auth.service())
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(auth.signedAt(), ZoneOffset.UTC))
                // Non-S3 clients always hash the body, also over HTTPS where the SDK would not by default.
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true);
        if (auth.presigned()) {
            sign.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING);
            auth.expires().ifPresent(expires -> sign.putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, expires));
        }
        SignedRequest signed;
        try {
            signed = SIGNER.sign(sign.build());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return auth.presigned() ? presignedSignature(signed.request(), auth) : headerSignature(signed.request(), auth);
    }

    // The SDK writes its own x-amz-content-sha256 from the body, which would hide a header that was
    // changed in transit; such a request is left to the hand-written path, where it fails as it should.
    private static boolean contentHashHeaderIsTrue(HttpRequest request, SigV4Auth auth) {
        if (!auth.signedHeaders().contains("x-amz-content-sha256")) {
            return true;
        }
        return request.headers().all("x-amz-content-sha256").equals(
                java.util.List.of(SigV4Encoding.sha256Hex(request.body())));
    }

    private static Optional<String> headerSignature(SdkHttpRequest signed, SigV4Auth auth) {
        String authorization = signed.firstMatchingHeader("Authorization").orElse("");
        String signedHeaders = parameter(authorization, "SignedHeaders=");
        // A different header list means the SDK signed something else than the client; do not compare.
        if (!signedHeaders.equals(auth.signedHeadersText())) {
            return Optional.empty();
        }
        return Optional.of(parameter(authorization, "Signature="));
    }

    private static Optional<String> presignedSignature(SdkHttpRequest signed, SigV4Auth auth) {
        if (!signed.firstMatchingRawQueryParameter("X-Amz-SignedHeaders").orElse("").equals(auth.signedHeadersText())) {
            return Optional.empty();
        }
        return signed.firstMatchingRawQueryParameter("X-Amz-Signature");
    }

    private static String parameter(String authorization, String prefix) {
        int start = authorization.indexOf(prefix);
        if (start < 0) {
            return "";
        }
        int end = authorization.indexOf(',', start);
        return authorization.substring(start + prefix.length(), end < 0 ? authorization.length() : end).trim();
    }
}
