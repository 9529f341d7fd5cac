package org.redischat.api;

import java.io.StringReader;
import java.util.Optional;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.wire.Event;
import org.redischat.wire.HttpErrors;
import org.redischat.wire.Json;
import org.redischat.wire.Username;
import org.redischat.accounts.Accounts;
import org.redischat.accounts.LoginRate;
import org.redischat.accounts.Passwords;
import org.redischat.accounts.Tokens;
import org.redischat.redis.NodeEvents;

/** Sign-up, sign-in and sign-out over HTTP (docs/PROTOCOL.md section 1). */
@Path("")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    private static final Logger LOG = Logger.getLogger(AccountResource.class.getName());
    private static final JsonProvider JSON = JsonProvider.provider();

    public record UserBody(String username) {
    }

    public record TokenBody(String token, String username) {
    }

    public record Credentials(String username, String password) {
    }

    @Inject
    Accounts accounts;

    @Inject
    Tokens tokens;

    @Inject
    NodeEvents nodeEvents;

    @Inject
    LoginRate rate;

    @Inject
    SignInGate gate;

    /** False: accounts with a password here can neither be created nor signed in to (single sign-on only). */
    @Inject
    @ConfigProperty(name = "auth.local.enabled", defaultValue = "true")
    boolean localEnabled;

    @POST
    @Path("users")
    @Consumes(MediaType.WILDCARD)
    public Response register(String body) {
        refuseIfLocalOff();
        Credentials c = admitted(body);
        Optional<String> name = Username.normalize(c.username());
        if (name.isEmpty()) {
            return HttpErrors.response(400, "invalid_username",
                    "a username is 1-32 of a-z 0-9 . _ -, starting with a letter or digit");
        }
        if (!Passwords.isAcceptable(c.password())) {
            return HttpErrors.response(400, "invalid_password", "a password is 8-128 characters");
        }
        if (!hashed(() -> accounts.register(name.get(), c.password()))) {
            return HttpErrors.response(409, "name_taken", "that username is taken");
        }
        LOG.info(() -> "registered user " + name.get());
        return Response.status(201).entity(Json.write(new UserBody(name.get()))).build();
    }

    @POST
    @Path("sessions")
    @Consumes(MediaType.WILDCARD)
    public Response login(String body, @Context HttpServletRequest request) {
        refuseIfLocalOff();
        Credentials c = admitted(body);
        String name = Username.normalize(c.username()).orElse("-");
        boolean ok = hashed(() -> accounts.verify(name, c.password())) && !name.equals("-");
        if (!ok) {
            rate.failed(name, gate.client(request));
            return HttpErrors.response(401, "unauthorized", "wrong username or password");
        }
        return Response.ok(Json.write(new TokenBody(tokens.issue(name), name))).build();
    }

    /** An extension to docs/PROTOCOL.md for the web client: is this token still valid, and whose is it? */
    @GET
    @Path("sessions/current")
    public Response current(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String token = HandshakeCheck.bearer(authorization);
        return Optional.ofNullable(token).flatMap(tokens::userOf)
                .map(user -> Response.ok(Json.write(new UserBody(user))).build())
                .orElseGet(() -> HttpErrors.response(401, "unauthorized", "a valid token is required"));
    }

    @DELETE
    @Path("sessions/current")
    public Response logout(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String token = HandshakeCheck.bearer(authorization);
        if (token == null || !tokens.revoke(token)) {
            return HttpErrors.response(401, "unauthorized", "a valid token is required");
        }
        nodeEvents.publish(Event.revoke(Tokens.hash(token)));
        return Response.noContent().build();
    }

    private void refuseIfLocalOff() {
        if (!localEnabled) {
            throw new WebApplicationException(HttpErrors.response(403, "local_off",
                    "accounts with a password are turned off here: sign in with the identity provider"));
        }
    }

    /** The hashing's answer, or 429 when the node hashes as many passwords at once as it may for too long. */
    private static boolean hashed(java.util.function.BooleanSupplier work) {
        try {
            return work.getAsBoolean();
        } catch (Accounts.BusyException busy) {
            refuseIfThrottled(1000);
            return false;
        }
    }

    /**
     * The body's credentials (the sign-in budgets were checked before, {@link SignInGate}); a body that
     * is not credentials is refused with 400, thrown as its response.
     */
    private Credentials admitted(String body) {
        Credentials c = credentials(body);
        if (c == null) {
            throw new WebApplicationException(
                    HttpErrors.response(400, "bad_request", "send {\"username\":\"…\",\"password\":\"…\"}"));
        }
        return c;
    }

    /** 429 with Retry-After (whole seconds, at least 1), thrown as the response, when the wait is not 0. */
    private static void refuseIfThrottled(long waitMillis) {
        if (waitMillis > 0) {
            throw new WebApplicationException(Response.fromResponse(
                    HttpErrors.response(429, "rate_limited", "too many attempts: try again later"))
                    .header("Retry-After", String.valueOf(Math.max(1, (waitMillis + 999) / 1000))).build());
        }
    }

    /** The two string fields of a body, or null when the body is not that. */
    private static Credentials credentials(String body) {
        if (body == null || body.length() > 4096) {
            return null;
        }
        try (var reader = JSON.createReader(new StringReader(body))) {
            JsonValue v = reader.readValue();
            if (v instanceof JsonObject o && o.get("username") instanceof JsonString u
                    && o.get("password") instanceof JsonString p) {
                return new Credentials(u.getString(), p.getString());
            }
            return null;
        } catch (JsonException | IllegalStateException e) {
            return null;
        }
    }
}
