package org.redischat.api;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.accounts.Tokens;
import org.redischat.members.Members;
import org.redischat.rooms.InviteLinks;
import org.redischat.wire.DirectRoom;
import org.redischat.wire.HttpErrors;
import org.redischat.wire.Json;
import org.redischat.wire.RoomName;

/** Protocol 1.3: a member asks for a join link to their room, valid for {@code chat.invite.ttl-seconds}. */
@Path("rooms/{room}/invites")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class InviteResource {

    /** What the caller gets: the room, the invitation to put in a join's {@code invite}, when it expires (ms). */
    public record InviteBody(String room, String invite, long expires) {
    }

    @Inject
    Tokens tokens;

    @Inject
    Members members;

    @Inject
    InviteLinks links;

    @Inject
    @ConfigProperty(name = "chat.invite.ttl-seconds", defaultValue = "604800")
    long inviteSeconds;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response issue(@PathParam("room") String raw, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Optional<String> user = Optional.ofNullable(HandshakeCheck.bearer(authorization)).flatMap(tokens::userOf);
        if (user.isEmpty()) {
            return HttpErrors.response(401, "unauthorized", "a valid token is required");
        }
        Optional<String> room = RoomName.normalize(raw);
        if (room.isEmpty() || DirectRoom.parse(room.get()).isPresent()) {
            return HttpErrors.response(400, "bad_request", "not a room that takes invitations");
        }
        if (!members.isMember(room.get(), user.get())) {
            return HttpErrors.response(403, "not_member", "only a member of " + room.get() + " can invite to it");
        }
        long expires = System.currentTimeMillis() + inviteSeconds * 1000;
        return Response.status(201).entity(Json.write(new InviteBody(room.get(), links.issue(room.get(), expires), expires))).build();
    }
}
