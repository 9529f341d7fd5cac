package org.redischat.api;

import java.io.StringReader;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.accounts.ProviderAccounts;
import org.redischat.accounts.Tokens;
import org.redischat.sso.InvalidToken;
import org.redischat.sso.Provider;
import org.redischat.wire.HttpErrors;
import org.redischat.wire.Json;

/**
 * Single sign-on over HTTP (docs/PROTOCOL.md, "Single sign-on"): how to sign in here, a chat
 * session for a provider's token, and its renewal with the next token.
 */
@Path("")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class ProviderResource {

    private static final Logger LOG = Logger.getLogger(ProviderResource.class.getName());
    private static final JsonProvider JSON = JsonProvider.provider();

    public record MethodsBody(boolean local, Provider.Settings oidc) {
    }

    public record SessionBody(String token, String username, long expires_in) {
    }

    public record RenewedBody(String username, long expires_in) {
    }

    @Inject
    Provider provider;

    @Inject
    ProviderAccounts accounts;

    @Inject
    Tokens tokens;

    @Inject
    @ConfigProperty(name = "auth.local.enabled", defaultValue = "true")
    boolean localEnabled;

    /** How clients may sign in: local accounts, the provider, or both. */
    @GET
    @Path("auth")
    public Response methods() {
        return Response.ok(Json.write(new MethodsBody(localEnabled, provider.settings().orElse(null)))).build();
    }

    /** A chat session for the provider's token (in the Authorization header), living as long as it plus the grace. */
    @POST
    @Path("sessions/sso")
    @Consumes(MediaType.WILDCARD)
    public Response signIn(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (!provider.enabled()) {
            return HttpErrors.response(404, "not_found", "single sign-on is not configured here");
        }
        return answered(() -> {
            ProviderAccounts.SignedIn in = accounts.signIn(required(HandshakeCheck.bearer(authorization)));
            String token = tokens.issue(in.username(), in.left());
            return Response.ok(Json.write(new SessionBody(token, in.username(), in.left().toSeconds()))).build();
        });
    }

    /**
     * Renews the chat session of the Authorization header's token with the provider's next token
     * ({@code {"token":"…"}}), which must be of the same user: the session then lives as long as
     * that token plus the grace.
     */
    @POST
    @Path("sessions/current/renewal")
    @Consumes(MediaType.WILDCARD)
    public Response renew(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        if (!provider.enabled()) {
            return HttpErrors.response(404, "not_found", "single sign-on is not configured here");
        }
        String session = HandshakeCheck.bearer(authorization);
        String next = providerToken(body);
        if (next == null) {
            return HttpErrors.response(400, "bad_request", "send {\"token\":\"<the provider's token>\"}");
        }
        return answered(() -> {
            ProviderAccounts.SignedIn in = accounts.signIn(next);
            if (session == null || !tokens.extend(session, in.username(), in.left())) {
                return HttpErrors.response(401, "unauthorized", "a valid chat token of the same user is required");
            }
            return Response.ok(Json.write(new RenewedBody(in.username(), in.left().toSeconds()))).build();
        });
    }

    private static Response answered(java.util.function.Supplier<Response> work) {
        try {
            return work.get();
        } catch (InvalidToken e) {
            LOG.fine(() -> "provider token refused: " + e.getMessage());
            return HttpErrors.response(401, "unauthorized", "the provider's token is not accepted: " + e.getMessage());
        } catch (ProviderAccounts.NameHeld e) {
            return HttpErrors.response(409, "name_taken", e.getMessage());
        } catch (Provider.Unreachable e) {
            LOG.warning(e.getMessage());
            return HttpErrors.response(503, "internal", "the identity provider cannot be reached to check the token");
        }
    }

    private static String required(String token) {
        if (token == null) {
            throw new InvalidToken("send it as Authorization: Bearer <token>");
        }
        return token;
    }

    private static String providerToken(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try (var reader = JSON.createReader(new StringReader(body))) {
            return reader.readValue() instanceof JsonObject o && o.get("token") instanceof JsonString t ? t.getString() : null;
        } catch (JsonException | IllegalStateException e) {
            return null;
        }
    }
}
