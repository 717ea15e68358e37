package io.kubestead.agent.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * The exchange a {@link LimitedServer} handler sees: everything as the JDK's, except that sending the status line and
 * headers, reading the request body, writing the response body and closing (which flushes what is left) are watched
 * for stalls.
 */
final class GuardedExchange extends HttpExchange {
    private final HttpExchange ex;
    private final LimitedServer limits;
    private OutputStream body;
    private InputStream in;

    GuardedExchange(HttpExchange ex, LimitedServer limits) {
        this.ex = ex;
        this.limits = limits;
    }

    /** The JDK's exchange underneath (an HTTPS one carries the TLS session). */
    HttpExchange inner() {
        return ex;
    }

    @Override
    public void sendResponseHeaders(int status, long length) throws IOException {
        limits.watched(() -> ex.sendResponseHeaders(status, length));
    }

    @Override
    public OutputStream getResponseBody() {
        if (body == null) {
            body = limits.guard(ex.getResponseBody());
        }
        return body;
    }

    @Override
    public void close() {
        try {
            limits.watched(ex::close);
        } catch (IOException e) {
            // cut as stalled: the connection is closed, nothing is left to do
        }
    }

    @Override
    public void setStreams(InputStream in, OutputStream out) {
        ex.setStreams(in, out);
        body = null;
        this.in = null;
    }

    @Override
    public Headers getRequestHeaders() {
        return ex.getRequestHeaders();
    }

    @Override
    public Headers getResponseHeaders() {
        return ex.getResponseHeaders();
    }

    @Override
    public URI getRequestURI() {
        return ex.getRequestURI();
    }

    @Override
    public String getRequestMethod() {
        return ex.getRequestMethod();
    }

    @Override
    public HttpContext getHttpContext() {
        return ex.getHttpContext();
    }

    @Override
    public InputStream getRequestBody() {
        if (in == null) {
            in = limits.guard(ex.getRequestBody());
        }
        return in;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return ex.getRemoteAddress();
    }

    @Override
    public int getResponseCode() {
        return ex.getResponseCode();
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return ex.getLocalAddress();
    }

    @Override
    public String getProtocol() {
        return ex.getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
        return ex.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        ex.setAttribute(name, value);
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return ex.getPrincipal();
    }
}
