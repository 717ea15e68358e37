package io.kubestead.agent.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 request over TLS on a fresh connection, from a chosen loopback address (127.0.0.0/8 is all local, so
 * the server sees distinct clients), with the server's name checked against its certificate.
 */
final class RawHttps {
    record Response(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }

        List<String> all(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }
    }

    private final SSLContext tls;
    private final InetSocketAddress server;

    RawHttps(SSLContext tls, InetSocketAddress server) {
        this.tls = tls;
        this.server = server;
    }

    Response get(String from, String path, Map<String, String> headers) throws IOException {
        return send(from, "GET", path, headers, null);
    }

    Response post(String from, String path, Map<String, String> headers, String body) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.putAll(headers);
        return send(from, "POST", path, h, body);
    }

    Response send(String from, String method, String path, Map<String, String> headers, String body) throws IOException {
        return send(from, method, path, headers, body, null);
    }

    /** With {@code raw} the bytes after the header are sent as given, without Content-Length (a chunked body). */
    Response send(String from, String method, String path, Map<String, String> headers, String body, String raw)
            throws IOException {
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(server.getAddress(), server.getPort(),
                InetAddress.getByName(from), 0)) {
            s.setSoTimeout(60_000);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS"); // the server's certificate must name 127.0.0.1
            s.setSSLParameters(p);
            byte[] payload = (raw != null ? raw : body == null ? "" : body).getBytes(StandardCharsets.UTF_8);
            StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            req.append("Host: 127.0.0.1:").append(server.getPort()).append("\r\nConnection: close\r\n");
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) {
                req.append("Content-Length: ").append(payload.length).append("\r\n");
            }
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(payload);
            out.flush();
            return read(s.getInputStream());
        }
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete response: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, c).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(c + 1).strip());
        }
        return new Response(status, headers, text.substring(end + 4));
    }
}
