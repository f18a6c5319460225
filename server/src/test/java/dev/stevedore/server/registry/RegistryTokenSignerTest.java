package dev.stevedore.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry's token key: its certificate as a standard parser reads it, tokens it signs and reads back. */
class RegistryTokenSignerTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void theCertificateIsASelfSignedX509OfTheSigningKeyAndTheKeyIsKeptAcrossStarts(@TempDir Path dir) throws Exception {
        RegistryTokenSigner signer = RegistryTokenSigner.loadOrCreate(dir, clock);
        String pem = Files.readString(signer.certificateFile());
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(pem.getBytes()));
        cert.verify(cert.getPublicKey());
        cert.checkValidity(java.util.Date.from(clock.instant()));
        assertThat(cert.getSubjectX500Principal()).isEqualTo(cert.getIssuerX500Principal());
        assertThat(Files.getPosixFilePermissions(dir.resolve("token-signing.key")).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");

        String token = signer.sign("arn:aws:iam::123456789012:root", "123456789012",
                List.of(new RegistryTokenSigner.Grant("app", List.of("pull"))));
        String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
        assertThat(header).contains("\"alg\":\"ES256\"").contains("\"x5c\"");
        RegistryTokenSigner again = RegistryTokenSigner.loadOrCreate(dir, clock);
        JsonNode claims = again.verify(token).orElseThrow();
        assertThat(claims.path("aud").asText()).isEqualTo(RegistryTokenSigner.SERVICE);
        assertThat(RegistryTokenSigner.grants(claims, "app", "pull")).isTrue();
        assertThat(RegistryTokenSigner.grants(claims, "app", "push")).isFalse();
        assertThat(RegistryTokenSigner.grants(claims, "other", "pull")).isFalse();
    }

    @Test
    void tokensOfAnotherKeyOrPastTheirTimeAreNotOurs(@TempDir Path one, @TempDir Path two) {
        String foreign = RegistryTokenSigner.loadOrCreate(two, clock).sign("s", "a", List.of());
        RegistryTokenSigner signer = RegistryTokenSigner.loadOrCreate(one, clock);
        assertThat(signer.verify(foreign)).isEmpty();
        assertThat(signer.verify("not-a-token")).isEmpty();
        String token = signer.sign("s", "a", List.of());
        Clock later = Clock.offset(clock, RegistryTokenSigner.LIFETIME.plusSeconds(1));
        assertThat(RegistryTokenSigner.loadOrCreate(one, later).verify(token)).isEmpty();
    }

    @Test
    void aTokenCheckedOnceStaysValidOnlyUntilItExpiresAndAnAlteredOneIsChecked(@TempDir Path dir) {
        java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>(
                clock.instant());
        Clock moving = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        RegistryTokenSigner signer = RegistryTokenSigner.loadOrCreate(dir, moving);
        String token = signer.sign("s", "a", List.of(new RegistryTokenSigner.Grant("app", List.of("pull"))));
        assertThat(signer.verify(token)).isPresent();
        assertThat(signer.verify(token)).isPresent();
        String[] parts = token.split("\\.");
        String widened = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(new String(
                Base64.getUrlDecoder().decode(parts[1])).replace("\"pull\"", "\"push\"").getBytes()) + "." + parts[2];
        assertThat(signer.verify(widened)).isEmpty();
        now.set(clock.instant().plus(RegistryTokenSigner.LIFETIME).plusSeconds(1));
        assertThat(signer.verify(token)).isEmpty();
    }
}
