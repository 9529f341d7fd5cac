package org.redischat.api;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rules of the WebSocket handshake that need no Redis: where the token is found, and whether
 * an {@code Origin} is allowed (absent, the server's own, or listed in the configuration).
 */
public final class HandshakeCheck {

    public static final String TOKEN_PARAMETER = "access_token";

    private final Set<String> allowedOrigins;

    public HandshakeCheck(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins.stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(HandshakeCheck::lower).collect(Collectors.toUnmodifiableSet());
    }

    /** True when no Origin was sent, or it is the scheme and Host of the request, or listed. */
    public boolean originAllowed(String origin, String scheme, String host) {
        if (origin == null) {
            return true;
        }
        String o = lower(origin.trim());
        if (allowedOrigins.contains(o)) {
            return true;
        }
        if (host == null || "null".equals(o)) {
            return false;
        }
        URI uri;
        try {
            uri = URI.create(o);
        } catch (IllegalArgumentException e) {
            return false;
        }
        String expectedScheme = "https".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme) ? "https" : "http";
        String authority = uri.getRawAuthority();
        return expectedScheme.equals(uri.getScheme()) && authority != null
                && sameHost(authority, lower(host.trim()), expectedScheme);
    }

    private static boolean sameHost(String originAuthority, String host, String scheme) {
        String port = "https".equals(scheme) ? ":443" : ":80";
        return originAuthority.equals(host) || (originAuthority + port).equals(host)
                || originAuthority.equals(host + port);
    }

    /** The bearer token from an Authorization header value, or null. */
    public static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String a = authorization.trim();
        if (a.length() > 7 && a.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return a.substring(7).trim();
        }
        return null;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
