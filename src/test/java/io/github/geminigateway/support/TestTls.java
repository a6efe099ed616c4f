package io.github.geminigateway.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1, made by the JDK's keytool when first asked for (nothing secret is kept in
 * the repository), and a way to make this JVM's default trust accept it. Reactor Netty builds its default client TLS
 * context once per JVM, from the trust in force then, and the change cannot be undone, so a test using this runs in a
 * JVM of its own (pom.xml, surefire execution upstream-tls).
 */
public final class TestTls {

    private static final char[] PASSWORD = "test-only".toCharArray();
    private static Path keyStore;

    private TestTls() {
    }

    /** The key and certificate, for a TLS server. */
    public static synchronized KeyManagerFactory serverKeys() {
        try (InputStream in = Files.newInputStream(keyStore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD);
            return keys;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the test key store", e);
        }
    }

    /** The settings that make a gateway serve its API port over TLS with this certificate. */
    public static synchronized String[] serverArgs() {
        return new String[] {"--server.ssl.key-store=" + keyStore(), "--server.ssl.key-store-type=PKCS12",
                "--server.ssl.key-store-password=" + new String(PASSWORD)};
    }

    /**
     * Makes the JVM's default trust store the one with this certificate: TLS clients built from now on trust it, and
     * nothing else, for the rest of the JVM.
     */
    public static synchronized void trustInThisJvm() {
        System.setProperty("javax.net.ssl.trustStore", keyStore().toString());
        System.setProperty("javax.net.ssl.trustStorePassword", new String(PASSWORD));
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    }

    private static synchronized Path keyStore() {
        if (keyStore == null) {
            try {
                Path dir = Files.createTempDirectory("gateway-test-tls");
                Path file = dir.resolve("fake-google.p12");
                Process keytool = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                        "-genkeypair", "-alias", "fake-google", "-keyalg", "RSA", "-keysize", "2048",
                        "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                        "-storetype", "PKCS12", "-keystore", file.toString(),
                        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                        .redirectErrorStream(true).start();
                String output = new String(keytool.getInputStream().readAllBytes());
                if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                    throw new IllegalStateException("keytool failed: " + output);
                }
                file.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                keyStore = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return keyStore;
    }
}
