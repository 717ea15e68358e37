package io.kubestead.installer.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Callable;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import picocli.CommandLine;

/**
 * Runs on the freshly jlinked runtime during the build (installer/pom.xml, runtime-smoke) and
 * touches every library the agent ships with the JDK features it relies on: YAML and JSON with
 * records, an ECDSA certificate via BouncyCastle with PEM round trip, TLS 1.3 between the JDK
 * HTTPS server and java.net.http, picocli parsing and a tar round trip. A module missing from the
 * image fails here, at build time, not on a host.
 */
public final class RuntimeSmoke {

    record Node(String name, List<String> roles) {
    }

    @CommandLine.Command(name = "smoke")
    static final class Cmd implements Callable<Integer> {
        @CommandLine.Parameters
        List<String> words;

        @Override
        public Integer call() {
            return words.size();
        }
    }

    private RuntimeSmoke() {
    }

    public static void main(String[] args) throws Exception {
        Node node = new YAMLMapper().readValue("name: cp1\nroles: [control-plane, etcd]\n", Node.class);
        JsonNode json = new ObjectMapper().valueToTree(node);
        check(json.get("roles").size() == 2, "jackson yaml/json");

        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
        kpg.initialize(256);
        KeyPair kp = kpg.generateKeyPair();
        X509Certificate cert = selfSigned(kp);
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
            w.writeObject(cert);
        }
        try (PEMParser p = new PEMParser(new StringReader(pem.toString()))) {
            check(p.readObject() != null, "bouncycastle PEM");
        }

        check(tls(kp, cert).equals("ok"), "TLS (jdk.crypto.ec, jdk.httpserver, java.net.http)");
        check(new CommandLine(new Cmd()).execute("a", "b") == 2, "picocli");
        check(tarRoundTrip(), "commons-compress tar");
        check(zstdRoundTrip(), "zstd-jni (its native library loads on this runtime)");
        System.out.println("[bundle] runtime smoke check passed on java " + Runtime.version());
    }

    private static X509Certificate selfSigned(KeyPair kp) throws Exception {
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=localhost");
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now.minus(1, ChronoUnit.HOURS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)), name, kp.getPublic());
        var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static String tls(KeyPair kp, X509Certificate cert) throws Exception {
        char[] pw = "smoke".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", kp.getPrivate(), pw, new X509Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext server = SSLContext.getInstance("TLSv1.3");
        server.init(kmf.getKeyManagers(), null, null);
        SSLContext client = SSLContext.getInstance("TLSv1.3");
        client.init(null, tmf.getTrustManagers(), null);

        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(server));
        https.createContext("/", ex -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        https.start();
        try {
            HttpClient c = HttpClient.newBuilder().sslContext(client).build();
            URI uri = URI.create("https://localhost:" + https.getAddress().getPort() + "/");
            return c.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
        } finally {
            https.stop(0);
        }
    }

    private static boolean zstdRoundTrip() throws Exception {
        byte[] input = "air-gap bundle ".repeat(100).getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.equals(input, com.github.luben.zstd.Zstd.decompress(com.github.luben.zstd.Zstd.compress(input),
                input.length));
    }

    private static boolean tarRoundTrip() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry e = new TarArchiveEntry("a");
            e.setSize(1);
            tar.putArchiveEntry(e);
            tar.write('x');
            tar.closeArchiveEntry();
        }
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return "a".equals(in.getNextEntry().getName());
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("runtime smoke check failed: " + what);
        }
    }
}
