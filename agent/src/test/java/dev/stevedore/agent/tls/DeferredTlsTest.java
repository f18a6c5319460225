package dev.stevedore.agent.tls;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeferredTlsTest {

    @Test
    void itsEnginesAreTheDefaultContextsEngines() throws Exception {
        SSLEngine deferred = DeferredTls.context().createSSLEngine("example.test", 443);
        SSLEngine standard = SSLContext.getDefault().createSSLEngine("example.test", 443);

        assertThat(deferred.getClass()).isEqualTo(standard.getClass());
        assertThat(deferred.getUseClientMode()).isEqualTo(standard.getUseClientMode());
        assertThat(deferred.getEnabledProtocols()).containsExactly(standard.getEnabledProtocols());
        assertThat(deferred.getEnabledCipherSuites()).containsExactly(standard.getEnabledCipherSuites());
        assertThat(DeferredTls.context().getDefaultSSLParameters().getProtocols())
                .containsExactly(SSLContext.getDefault().getDefaultSSLParameters().getProtocols());
    }

    @Test
    void itCannotBeReinitialised() {
        assertThatThrownBy(() -> DeferredTls.context().init(null, null, null))
                .isInstanceOf(java.security.KeyManagementException.class);
    }

    @Test
    void anHttpsCallThroughJavaNetHttpStartsATlsHandshake() throws Exception {
        // A plain TCP server that records the first bytes: a TLS ClientHello starts with 0x16 0x03.
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             HttpClient http = HttpClient.newBuilder().sslContext(DeferredTls.context())
                     .sslParameters(DeferredTls.parameters()).connectTimeout(Duration.ofSeconds(5)).build()) {
            byte[] hello = new byte[2];
            Thread reader = Thread.ofVirtual().start(() -> {
                try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
                    in.readNBytes(hello, 0, 2);
                    // Not TLS: the client gives up at once instead of waiting for its timeout.
                    socket.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // the assertion on hello reports it
                }
            });
            URI uri = URI.create("https://127.0.0.1:" + server.getLocalPort() + "/");
            assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding())).isInstanceOf(IOException.class);
            reader.join(Duration.ofSeconds(5));

            assertThat(hello).as(new String(hello, StandardCharsets.ISO_8859_1)).containsExactly(0x16, 0x03);
        }
    }
}
