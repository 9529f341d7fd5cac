package org.redischat.api;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.wire.HttpErrors;
import org.redisson.client.RedisException;

/**
 * What every HTTP answer carries and what the API takes, before any resource sees a request: a
 * Content-Security-Policy that allows only the server's own scripts, styles and sockets,
 * {@code nosniff}, no referrer, no framing; under {@code /api}, {@code Cache-Control: no-store}, a body
 * of at most {@code chat.http.max-body-bytes} (413 before more is read, from its length or as it
 * arrives), JSON or no content type (415 for the types a cross-site form can send), no change asked
 * from a foreign {@code Origin} (403), and the sign-in budgets ({@link SignInGate}, 429) before JAX-RS.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class HttpGuard extends HttpFilter {

    /** What a Host header may hold to be named in the policy (a name or address and a port). */
    private static final Logger LOG = Logger.getLogger(HttpGuard.class.getName());
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\[\\]-]{1,255}");

    @Inject
    @ConfigProperty(name = "chat.http.max-body-bytes", defaultValue = "8192")
    int maxBody;

    @Inject
    @ConfigProperty(name = "chat.origins.allowed")
    Optional<String> allowedOrigins;

    @Inject
    SignInGate gate;

    @Inject
    @ConfigProperty(name = "auth.oidc.issuer")
    Optional<String> issuer;

    private String providerOrigin;

    private HandshakeCheck origins;

    @Override
    public void init() {
        origins = new HandshakeCheck(List.of(allowedOrigins.orElse("").split(",")));
        providerOrigin = issuer.map(String::trim).filter(s -> !s.isEmpty()).map(HttpGuard::originOf).orElse(null);
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        res.setHeader("Content-Security-Policy", policy(req.getHeader("Host"), providerOrigin));
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setHeader("Referrer-Policy", "no-referrer");
        res.setHeader("X-Frame-Options", "DENY");
        String path = req.getRequestURI().substring(req.getContextPath().length());
        if (!path.startsWith("/api/")) {
            chain.doFilter(req, res);
            return;
        }
        res.setHeader("Cache-Control", "no-store");
        String method = req.getMethod();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            chain.doFilter(req, res);
            return;
        }
        if (!origins.originAllowed(req.getHeader("Origin"), req.getScheme(), req.getHeader("Host"))) {
            HttpErrors.write(res, 403, "forbidden_origin", "this Origin may not change anything here");
            return;
        }
        if (!jsonOrNone(req.getContentType())) {
            HttpErrors.write(res, 415, "unsupported_media_type", "send JSON, as Content-Type: application/json");
            return;
        }
        long declared = req.getContentLengthLong();
        if (declared > maxBody) {
            tooLarge(res);
            return;
        }
        byte[] body = read(req.getInputStream());
        if (body == null) {
            tooLarge(res);
            return;
        }
        long wait;
        try {
            wait = gate.wait(path, req, body);
        } catch (RedisException e) {
            LOG.warning(() -> "Redis unavailable for a sign-in budget: " + e);
            HttpErrors.write(res, 503, "internal", "the server cannot reach its store; try again shortly");
            return;
        }
        if (wait > 0) {
            res.setHeader("Retry-After", String.valueOf(Math.max(1, (wait + 999) / 1000)));
            HttpErrors.write(res, 429, "rate_limited", "too many attempts: try again later");
            return;
        }
        chain.doFilter(new Buffered(req, body), res);
    }

    /**
     * The policy for pages of this host: its own scripts, styles, images and sockets only, and the
     * identity provider's origin for the web client's token requests when single sign-on is on.
     */
    static String policy(String host, String providerOrigin) {
        String sockets = host != null && HOST.matcher(host).matches() ? " ws://" + host + " wss://" + host : "";
        String provider = providerOrigin == null ? "" : " " + providerOrigin;
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'"
                + sockets + provider + "; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    /** The scheme, host and port of the configured issuer (null when none, or not an http(s) URL). */
    static String originOf(String issuer) {
        try {
            java.net.URI u = java.net.URI.create(issuer);
            if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null
                    || !HOST.matcher(u.getRawAuthority()).matches()) {
                return null;
            }
            return u.getScheme() + "://" + u.getRawAuthority();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** JSON (application/json, or any +json), or no content type at all (clients that send none). */
    static boolean jsonOrNone(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    /** The whole body, or null as soon as it is over the limit (the rest is never read). */
    private byte[] read(InputStream in) throws IOException {
        byte[] buf = new byte[Math.min(maxBody + 1, 16_384)];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (n > maxBody) {
                    return null;
                }
                buf = java.util.Arrays.copyOf(buf, Math.min(maxBody + 1, buf.length * 2));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                return n > maxBody ? null : java.util.Arrays.copyOf(buf, n);
            }
            n += r;
        }
    }

    private void tooLarge(HttpServletResponse res) throws IOException {
        res.setHeader("Connection", "close");
        HttpErrors.write(res, 413, "too_large", "a request body is at most " + maxBody + " bytes");
    }

    /**
     * The request with its body read already: one stream over it for the whole request, as a
     * container's own (a caller may ask for the stream again between reads, and must not start over).
     */
    static final class Buffered extends HttpServletRequestWrapper {
        private final byte[] body;
        private final ByteArrayInputStream in;
        private final ServletInputStream stream;
        private BufferedReader reader;

        Buffered(HttpServletRequest req, byte[] body) {
            super(req);
            this.body = body;
            this.in = new ByteArrayInputStream(body);
            this.stream = new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body was read already");
                }
            };
        }

        @Override
        public ServletInputStream getInputStream() {
            return stream;
        }

        @Override
        public synchronized BufferedReader getReader() {
            if (reader == null) {
                reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
            }
            return reader;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
