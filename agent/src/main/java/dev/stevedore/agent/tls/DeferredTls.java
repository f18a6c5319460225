package dev.stevedore.agent.tls;

import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JVM's default TLS context, set up only when a connection first needs TLS.
 *
 * <p>java.net.http's client and docker-java's transport set up {@link SSLContext#getDefault()} when
 * they are created, which reads the CA certificates and loads about 500 classes. The agent usually
 * speaks plain HTTP to its control plane and a Unix socket to Docker, so that was resident memory
 * for nothing (BENCHMARKS.md). Handed this context instead, they get the very same default the
 * moment a TLS connection is made.
 */
public final class DeferredTls {
    private static final SSLContext CONTEXT = new SSLContext(new Spi(), null, "Default") {
    };

    private DeferredTls() {
    }

    /** A context that behaves as the default one and sets it up on first use. */
    public static SSLContext context() {
        return CONTEXT;
    }

    /**
     * Parameters that leave every choice to the default context's engines. java.net.http asks its
     * context for them when the client is built; handing it these keeps that from setting it up.
     */
    public static SSLParameters parameters() {
        return new SSLParameters();
    }

    private static SSLContext real() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    private static final class Spi extends SSLContextSpi {
        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("the default TLS context is set up by the JDK, not initialised");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return real().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return real().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return real().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return real().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return real().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return real().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return real().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return real().getSupportedSSLParameters();
        }
    }
}
