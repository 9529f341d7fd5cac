package org.redischat.api;

import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.redischat.accounts.Bots;
import org.redischat.accounts.ServerAdmins;
import org.redischat.accounts.Tokens;
import org.redischat.rooms.Budgets;
import org.redischat.wire.Event;
import org.redischat.wire.HttpErrors;
import org.redischat.wire.Username;
import org.redischat.redis.NodeEvents;

/**
 * Bots' tokens over HTTP: an administrator — a server administrator's token, or the
 * operator's key ({@code auth.admin-key}) as the bearer — issues a bot a token for the WebSocket and
 * the HTTP API, lists the bots, and revokes all of a bot's tokens (closing its sockets).
 */
@Path("bots")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class BotResource {

    public record BotsBody(List<Bots.Listed> bots, boolean more) {
    }

    @Inject
    Bots bots;

    @Inject
    Tokens tokens;

    @Inject
    ServerAdmins admins;

    @Inject
    Budgets budgets;

    @Inject
    NodeEvents nodeEvents;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response issue(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        administrator(authorization, true);
        JsonObject request = object(body);
        Optional<String> name = request.get("name") instanceof JsonString s ? Username.normalize(s.getString()) : Optional.empty();
        if (name.isEmpty()) {
            return HttpErrors.response(400, "invalid_username", "'name' is the bot's name: 1-32 of a-z 0-9 . _ -, starting with a letter or digit");
        }
        JsonValue days = request.get("days");
        Duration ttl = days == null ? bots.lifetime(null)
                : days instanceof JsonNumber n && n.isIntegral() && n.longValue() == n.intValue() ? bots.lifetime(n.intValue()) : null;
        if (ttl == null) {
            return HttpErrors.response(400, "bad_request", "'days' is a whole number of days the token is valid, 1 to the server's most (auth.bot.token-max-days)");
        }
        Bots.Issued issued = bots.issue(name.get(), ttl);
        if (issued == null) {
            return HttpErrors.response(409, "name_taken", "a person's account has the name " + name.get());
        }
        return Response.status(201).entity(org.redischat.wire.Json.write(issued)).build();
    }

    @GET
    public Response list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("after") String after,
            @QueryParam("limit") Integer limit) {
        administrator(authorization, false);
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 500) {
            return HttpErrors.response(400, "bad_request", "'limit' is 1 to 500");
        }
        List<Bots.Listed> page = bots.list(after, n + 1);
        boolean more = page.size() > n;
        return Response.ok(org.redischat.wire.Json.write(new BotsBody(more ? page.subList(0, n) : page, more))).build();
    }

    @DELETE
    @Path("{name}/tokens")
    public Response revoke(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("name") String raw) {
        administrator(authorization, true);
        Optional<String> name = Username.normalize(raw).filter(bots::is);
        if (name.isEmpty()) {
            return HttpErrors.response(404, "not_found", "no bot of that name");
        }
        for (String hash : bots.revokeAll(name.get())) {
            nodeEvents.publish(Event.revoke(hash)); // each node closes the sockets opened with it
        }
        return Response.noContent().build();
    }

    /** Refuses, by throwing the response, anyone but the operator's key or a server administrator within their budget. */
    private void administrator(String authorization, boolean changes) {
        String bearer = HandshakeCheck.bearer(authorization);
        if (bots.isAdminKey(bearer)) {
            return;
        }
        Optional<String> user = Optional.ofNullable(bearer).flatMap(tokens::userOf);
        if (user.isEmpty()) {
            throw new WebApplicationException(HttpErrors.response(401, "unauthorized", "a valid token is required"));
        }
        if (!(changes ? budgets.allowEdit(user.get()) : budgets.allowRead(user.get()))) {
            throw new WebApplicationException(Response.fromResponse(HttpErrors.response(429, "rate_limited", "too many requests: slow down"))
                    .header("Retry-After", "1").build());
        }
        if (!admins.isAdmin(user.get())) {
            throw new WebApplicationException(HttpErrors.response(403, "forbidden", "only a server administrator manages bots"));
        }
    }

    private static JsonObject object(String body) {
        try (var reader = Json.createReader(new StringReader(body == null ? "" : body))) {
            return reader.readObject();
        } catch (RuntimeException e) {
            throw new WebApplicationException(HttpErrors.response(400, "bad_request", "send {\"name\":\"…\"} and optionally \"days\""));
        }
    }
}
