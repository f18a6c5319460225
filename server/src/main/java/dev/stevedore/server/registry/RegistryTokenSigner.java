package dev.stevedore.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AwsJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key Stevedore signs registry bearer tokens with (ES256 JWTs, the certificate in {@code x5c}), kept in
 * the data directory beside the certificate the registry trusts ({@code rootcertbundle}). It also reads
 * tokens back: the registry's front door checks a manifest push's token before looking at tags.
 */
final class RegistryTokenSigner {
    static final String ISSUER = "stevedore";
    static final String SERVICE = "stevedore-ecr";
    /** Docker asks again when a token has expired; five minutes is what the distribution docs suggest. */
    static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final int MAX_VERIFIED = 4096;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keys;
    private final byte[] certificate;
    private final Path certificateFile;
    private final Clock clock;
    /**
     * Tokens whose signature was checked, by their exact text, until they expire: a pull sends one token
     * with each of its requests, and the ECDSA check cost the front door milliseconds per request.
     */
    private final Map<String, JsonNode> verified = new ConcurrentHashMap<>();

    private RegistryTokenSigner(KeyPair keys, byte[] certificate, Path certificateFile, Clock clock) {
        this.keys = keys;
        this.certificate = certificate;
        this.certificateFile = certificateFile;
        this.clock = clock;
    }

    /** The key and certificate in {@code dir}, made the first time. */
    static RegistryTokenSigner loadOrCreate(Path dir, Clock clock) {
        Path keyFile = dir.resolve("token-signing.key");
        Path certFile = dir.resolve("token-signing.crt");
        try {
            Files.createDirectories(dir);
            if (Files.exists(keyFile) && Files.exists(certFile)) {
                byte[] cert = pemBody(Files.readString(certFile));
                X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(cert));
                PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(
                        new PKCS8EncodedKeySpec(pemBody(Files.readString(keyFile))));
                return new RegistryTokenSigner(new KeyPair(parsed.getPublicKey(), key), cert, certFile, clock);
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            Instant now = clock.instant();
            byte[] cert = SelfSignedCertificate.create(keys, "stevedore registry token signer",
                    now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365 * 20)),
                    new BigInteger(63, new SecureRandom()).add(BigInteger.ONE));
            Path tmp = Files.createTempFile(dir, "token-signing", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            Files.move(tmp, keyFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(certFile, pem("CERTIFICATE", cert));
            return new RegistryTokenSigner(keys, cert, certFile, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the registry's token key in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the registry's token key in " + dir, e);
        }
    }

    /** The certificate file the registry's {@code rootcertbundle} names. */
    Path certificateFile() {
        return certificateFile;
    }

    /** A grant of {@code actions} on one repository. */
    record Grant(String repository, Collection<String> actions) {
    }

    /** A bearer token for {@code subject} with the grants, as the registry's token auth reads it. */
    String sign(String subject, String account, Collection<Grant> grants) {
        Instant now = clock.instant();
        ObjectNode header = AwsJson.mapper().createObjectNode().put("typ", "JWT").put("alg", "ES256");
        header.putArray("x5c").add(Base64.getEncoder().encodeToString(certificate));
        ObjectNode claims = AwsJson.mapper().createObjectNode().put("iss", ISSUER).put("sub", subject)
                .put("aud", SERVICE).put("exp", now.plus(LIFETIME).getEpochSecond())
                .put("nbf", now.minusSeconds(5).getEpochSecond()).put("iat", now.getEpochSecond())
                .put("jti", UUID.randomUUID().toString()).put("stevedore:account", account);
        ArrayNode access = claims.putArray("access");
        for (Grant grant : grants) {
            ObjectNode entry = access.addObject().put("type", "repository").put("name", grant.repository());
            ArrayNode actions = entry.putArray("actions");
            grant.actions().forEach(actions::add);
        }
        String signingInput = B64.encodeToString(json(header)) + "." + B64.encodeToString(json(claims));
        try {
            Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
            signer.initSign(keys.getPrivate());
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a registry token", e);
        }
    }

    /** What a token this signer made and that has not expired grants; empty for anything else. */
    Optional<JsonNode> verify(String token) {
        long now = clock.instant().getEpochSecond();
        JsonNode known = verified.get(token);
        if (known != null) {
            if (known.path("exp").asLong() > now) {
                return Optional.of(known);
            }
            verified.remove(token);
            return Optional.empty();
        }
        Optional<JsonNode> claims = check(token, now);
        claims.ifPresent(valid -> remember(token, valid, now));
        return claims;
    }

    private void remember(String token, JsonNode claims, long now) {
        if (verified.size() >= MAX_VERIFIED) {
            verified.values().removeIf(kept -> kept.path("exp").asLong() <= now);
            if (verified.size() >= MAX_VERIFIED) {
                verified.clear();
            }
        }
        verified.put(token, claims);
    }

    private Optional<JsonNode> check(String token, long now) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
            verifier.initVerify(keys.getPublic());
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return Optional.empty();
            }
            JsonNode claims = AwsJson.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
            return claims.path("exp").asLong() > now ? Optional.of(claims) : Optional.empty();
        } catch (GeneralSecurityException | IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }

    /** Whether verified claims grant {@code action} on {@code repository}. */
    static boolean grants(JsonNode claims, String repository, String action) {
        for (JsonNode entry : claims.path("access")) {
            if (entry.path("type").asText().equals("repository") && entry.path("name").asText().equals(repository)) {
                for (JsonNode granted : entry.path("actions")) {
                    if (granted.asText().equals(action) || granted.asText().equals("*")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static byte[] json(JsonNode node) {
        try {
            return AwsJson.mapper().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] pemBody(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }
}
