package org.redischat.api;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.rooms.InviteLinks;
import org.redischat.wire.HttpErrors;
import org.redischat.wire.Json;

/**
 * Join links of a room over HTTP: a member makes one, valid for
 * {@code chat.invite.ttl-seconds}; the owner and moderators list and revoke any of the room's links,
 * other members their own.
 */
@Path("rooms/{room}/invites")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class InviteResource {

    /** What the caller gets: the room, the invitation to put in a join's {@code invite}, when it expires (ms), its id. */
    public record InviteBody(String room, String invite, long expires, String id) {
    }

    /** A link as listed: never its invitation. */
    public record LinkBody(String id, String issuer, long expires, long created) {
    }

    /** The room's unexpired links that the caller may see, newest first. */
    public record LinksBody(String room, List<LinkBody> links) {
    }

    @Inject
    RoomCallers callers;

    @Inject
    InviteLinks links;

    @Inject
    @ConfigProperty(name = "chat.invite.ttl-seconds", defaultValue = "604800")
    long inviteSeconds;

    /** Who asks, of which room, and whether they see and revoke every join link of it (the links right). */
    private record Caller(String user, String room, boolean seesAllLinks) {
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response issue(@PathParam("room") String raw, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller c = caller(raw, authorization, true);
        long now = System.currentTimeMillis();
        InviteLinks.Issued issued = links.issue(c.room(), c.user(), now, now + inviteSeconds * 1000);
        if (issued == null) {
            return HttpErrors.response(409, "limit_reached", "the room holds the most join links allowed: revoke one first");
        }
        return Response.status(201).entity(Json.write(new InviteBody(c.room(), issued.invite(), issued.link().expires(),
                issued.link().id()))).build();
    }

    @GET
    public Response list(@PathParam("room") String raw, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller c = caller(raw, authorization, false);
        List<LinkBody> shown = links.list(c.room(), System.currentTimeMillis()).stream()
                .filter(l -> c.seesAllLinks() || l.issuer().equals(c.user()))
                .map(l -> new LinkBody(l.id(), l.issuer(), l.expires(), l.created())).toList();
        return Response.ok(Json.write(new LinksBody(c.room(), shown))).build();
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("room") String raw, @PathParam("id") String id,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller c = caller(raw, authorization, true);
        InviteLinks.Link link = links.find(c.room(), id);
        if (link == null || !(c.seesAllLinks() || link.issuer().equals(c.user()))) {
            // one answer for a link that does not exist and one the caller may not see
            return HttpErrors.response(404, "not_found", "no such join link of " + c.room());
        }
        links.revoke(c.room(), id);
        return Response.noContent().build();
    }

    /** The caller, a member of the room, within their budget (edits for changes, reads for the list); else the refusal. */
    private Caller caller(String raw, String authorization, boolean changes) {
        RoomCallers.Caller c = callers.of(raw, authorization, changes, false, "join links");
        return new Caller(c.user(), c.room(), c.may("links"));
    }
}
