package org.redischat.api;

import java.io.StringReader;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.accounts.Bots;
import org.redischat.history.MessageLog;
import org.redischat.redis.RoomCap;
import org.redischat.rooms.Joins;
import org.redischat.rooms.Moderation;
import org.redischat.rooms.Webhooks;
import org.redischat.wire.FrameException;
import org.redischat.wire.FrameParser;
import org.redischat.wire.HttpErrors;
import org.redischat.wire.Username;

/**
 * Incoming webhooks over HTTP. A room's moderators, its owner and server administrators
 * make, list and revoke them ({@code rooms/{room}/webhooks}); a webhook posts as a named bot, which
 * the making invites into the room and makes a member. Whoever holds a webhook's URL
 * ({@code hooks/{id}/{secret}}) posts {@code {"text": "..."}} into the room, as the bot, at the
 * webhook's own rate.
 */
@Path("")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    /** A new webhook: the URL to post to (shown once: only a digest of its secret is kept). */
    public record CreatedBody(String room, String id, String name, String url) {
    }

    /** A webhook as listed: never its URL. */
    public record HookBody(String id, String name, String by, long created) {
    }

    public record HooksBody(String room, List<HookBody> webhooks) {
    }

    /** A post stored: its room and message id. */
    public record PostedBody(String room, long id) {
    }

    @Inject
    RoomCallers callers;

    @Inject
    Bots bots;

    @Inject
    Moderation moderation;

    @Inject
    MessageLog log;

    @Inject
    Joins joins;

    @Inject
    Webhooks webhooks;

    @Inject
    SignInGate gate;

    @Inject
    @ConfigProperty(name = "chat.text.max-length", defaultValue = "4000")
    int maxText;

    @Inject
    @ConfigProperty(name = "chat.text.max-bytes", defaultValue = "16384")
    long maxTextBytes;

    @POST
    @Path("rooms/{room}/webhooks")
    @Consumes(MediaType.WILDCARD)
    public Response create(@PathParam("room") String raw, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            String body, @Context UriInfo uri) {
        RoomCallers.Caller m = moderator(raw, authorization, true);
        Optional<String> name = Optional.ofNullable(field(body, "name")).flatMap(Username::normalize);
        if (name.isEmpty()) {
            return HttpErrors.response(400, "invalid_username", "'name' is the bot's name: 1-32 of a-z 0-9 . _ -, starting with a letter or digit");
        }
        if (webhooks.full(m.room())) {
            return HttpErrors.response(409, "limit_reached", "the room holds the most webhooks allowed: revoke one first");
        }
        Bots.Made made = bots.makeFor(name.get(), m.user(), m.admin());
        if (made == Bots.Made.NAME_TAKEN) {
            return HttpErrors.response(409, "name_taken", "a person's account has the name " + name.get());
        }
        if (made == Bots.Made.LIMIT_REACHED) {
            return HttpErrors.response(409, "limit_reached", "you have made the most bots' names allowed: use one of them");
        }
        try {
            // the bot joins as anyone invited would: a moderator's invitation also lifts a ban of it
            moderation.act("invite", m.room(), m.user(), name.get(), null, "webhook", m.admin());
            joins.join(m.room(), name.get(), null, 1, Joins.Admission.PUBLIC);
        } catch (RoomCap.Reached e) {
            return HttpErrors.response(409, "limit_reached", "the bot " + name.get() + " is in the most rooms it may be");
        } catch (Moderation.RefusedException | Joins.RefusedException e) {
            return HttpErrors.response(403, "forbidden", "the bot " + name.get() + " cannot join " + m.room());
        }
        Webhooks.Created hook = webhooks.create(m.room(), name.get(), m.user());
        if (hook == null) {
            return HttpErrors.response(409, "limit_reached", "the room holds the most webhooks allowed: revoke one first");
        }
        String url = uri.getBaseUriBuilder().path("hooks").path(hook.hook().id()).path(hook.secret()).build().toString();
        return Response.status(201).entity(org.redischat.wire.Json.write(
                new CreatedBody(m.room(), hook.hook().id(), name.get(), url))).build();
    }

    @GET
    @Path("rooms/{room}/webhooks")
    public Response list(@PathParam("room") String raw, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        RoomCallers.Caller m = moderator(raw, authorization, false);
        List<HookBody> listed = webhooks.list(m.room()).stream()
                .map(h -> new HookBody(h.id(), h.name(), h.by(), h.created())).toList();
        return Response.ok(org.redischat.wire.Json.write(new HooksBody(m.room(), listed))).build();
    }

    @DELETE
    @Path("rooms/{room}/webhooks/{id}")
    public Response revoke(@PathParam("room") String raw, @PathParam("id") String id,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        RoomCallers.Caller m = moderator(raw, authorization, true);
        if (!webhooks.revoke(m.room(), id)) {
            return HttpErrors.response(404, "not_found", "no such webhook of " + m.room());
        }
        return Response.noContent().build();
    }

    @POST
    @Path("hooks/{id}/{secret}")
    @Consumes(MediaType.WILDCARD)
    public Response post(@PathParam("id") String id, @PathParam("secret") String secret, String body,
            @Context HttpServletRequest request) {
        String client = gate.client(request);
        long missWait = webhooks.missWait(client);
        if (missWait > 0) {
            return retryAfter(missWait, "too many posts to webhook URLs that do not exist from this address: slow down");
        }
        Webhooks.Hook hook = webhooks.find(id, secret);
        if (hook == null) {
            webhooks.missed(client);
            return HttpErrors.response(404, "not_found", "no such webhook (revoked, or a wrong URL)");
        }
        String text;
        try {
            text = new FrameParser(maxText, maxTextBytes).textOf(object(body));
        } catch (FrameException e) {
            return HttpErrors.response(400, e.code(), e.getMessage());
        }
        long wait = webhooks.take(hook.id());
        if (wait > 0) {
            return retryAfter(wait, "this webhook posts too often: slow down");
        }
        try {
            MessageLog.Appended stored = log.append(hook.room(), hook.name(), text, null, System.currentTimeMillis());
            return Response.status(201).entity(org.redischat.wire.Json.write(new PostedBody(hook.room(), stored.id()))).build();
        } catch (MessageLog.NotMemberException e) {
            return HttpErrors.response(403, "not_member", "the bot " + hook.name() + " is no longer a member of " + hook.room());
        }
    }

    /** 429 with the seconds to wait, from {@code micros}. */
    private static Response retryAfter(long micros, String message) {
        return Response.fromResponse(HttpErrors.response(429, "rate_limited", message))
                .header("Retry-After", String.valueOf(Math.max(1, (micros + 999_999) / 1_000_000))).build();
    }

    /** The caller, a moderator or the owner of the room (or a server administrator), within their budget; else the refusal. */
    private RoomCallers.Caller moderator(String raw, String authorization, boolean changes) {
        RoomCallers.Caller c = callers.of(raw, authorization, changes, true, "webhooks");
        if (!c.may("webhooks")) {
            throw RoomCallers.refusal(HttpErrors.response(403, "forbidden", "only a moderator or the owner manages the webhooks of " + c.room()));
        }
        return c;
    }

    private static JsonObject object(String body) {
        try (var reader = Json.createReader(new StringReader(body == null ? "" : body))) {
            return reader.readObject();
        } catch (RuntimeException e) {
            throw FrameException.badRequest("the body must be a JSON object with a 'text'", null);
        }
    }

    private static String field(String body, String name) {
        try {
            return object(body).get(name) instanceof JsonString s ? s.getString() : null;
        } catch (FrameException e) {
            return null;
        }
    }

    private static WebApplicationException refusal(Response r) {
        return new WebApplicationException(r);
    }
}
