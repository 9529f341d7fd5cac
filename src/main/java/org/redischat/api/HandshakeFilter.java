package org.redischat.api;

import java.io.IOException;
import java.security.Principal;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.accounts.Tokens;
import org.redischat.wire.HttpErrors;

/**
 * Refuses a WebSocket handshake at the HTTP level: 403 for a foreign Origin, 401 without a valid
 * token. Runs before the container's WebSocket upgrade.
 */
@WebFilter(urlPatterns = "/ws", asyncSupported = true)
public class HandshakeFilter extends HttpFilter {

    @Inject
    Tokens tokens;

    @Inject
    @ConfigProperty(name = "chat.origins.allowed")
    Optional<String> allowedOrigins;

    private HandshakeCheck check;

    @Override
    public void init() {
        check = new HandshakeCheck(List.of(allowedOrigins.orElse("").split(",")));
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!check.originAllowed(req.getHeader("Origin"), req.getScheme(), req.getHeader("Host"))) {
            HttpErrors.write(res, 403, "forbidden_origin", "this Origin may not open a socket here");
            return;
        }
        String token = Optional.ofNullable(HandshakeCheck.bearer(req.getHeader("Authorization")))
                .orElse(req.getParameter(HandshakeCheck.TOKEN_PARAMETER));
        Optional<String> user;
        try {
            user = token == null ? Optional.empty() : tokens.userOf(token);
        } catch (RuntimeException e) {
            HttpErrors.write(res, 503, "internal", "the server cannot check tokens now");
            return;
        }
        if (user.isEmpty()) {
            HttpErrors.write(res, 401, "unauthorized", "a valid token is required");
            return;
        }
        SocketUser principal = new SocketUser(user.get(), Tokens.hash(token));
        chain.doFilter(new HttpServletRequestWrapper(req) {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }
        }, res);
    }
}
