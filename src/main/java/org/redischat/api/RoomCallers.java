package org.redischat.api;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.redischat.accounts.ServerAdmins;
import org.redischat.accounts.Tokens;
import org.redischat.members.Members;
import org.redischat.rooms.Budgets;
import org.redischat.wire.DirectRoom;
import org.redischat.wire.HttpErrors;
import org.redischat.wire.RoomName;
import org.redischat.wire.Rights;

/**
 * Who calls a room's HTTP resource (join links, webhooks), checked the same way for each: a valid
 * token (401), a room that is not a direct room (400), within the caller's budget (429: edits for
 * changes, reads for lists), a member of the room (403 {@code not_member}) unless the resource lets
 * server administrators in. A refusal is thrown as its response.
 */
@ApplicationScoped
public class RoomCallers {

    @Inject
    Tokens tokens;

    @Inject
    Members members;

    @Inject
    Budgets budgets;

    @Inject
    ServerAdmins admins;

    /** The caller: their name, the room, their role there ({@code owner}, {@code moderator} or {@code member}) and whether they are a server administrator let in. */
    public record Caller(String user, String room, String role, boolean admin) {

        /** Whether the caller's rank in the room allows the action (wire/rights.json: {@code webhooks}, {@code links}). */
        public boolean may(String action) {
            return Rights.TABLE.may(action, Rights.TABLE.rank(role, admin), -1);
        }
    }

    /**
     * The caller of a room's resource ({@code what} names what the room takes, for the 400); server
     * administrators pass as if members when {@code adminsToo}.
     */
    Caller of(String raw, String authorization, boolean changes, boolean adminsToo, String what) {
        Optional<String> user = Optional.ofNullable(HandshakeCheck.bearer(authorization)).flatMap(tokens::userOf);
        if (user.isEmpty()) {
            throw refusal(HttpErrors.response(401, "unauthorized", "a valid token is required"));
        }
        Optional<String> room = RoomName.normalize(raw);
        if (room.isEmpty() || DirectRoom.parse(room.get()).isPresent()) {
            throw refusal(HttpErrors.response(400, "bad_request", "not a room that takes " + what));
        }
        if (!(changes ? budgets.allowEdit(user.get()) : budgets.allowRead(user.get()))) {
            throw refusal(Response.fromResponse(HttpErrors.response(429, "rate_limited", "too many requests: slow down"))
                    .header("Retry-After", "1").build());
        }
        boolean admin = adminsToo && admins.isAdmin(user.get());
        if (!admin && !members.isMember(room.get(), user.get())) {
            throw refusal(HttpErrors.response(403, "not_member", "only a member of " + room.get() + " can see or make its " + what));
        }
        return new Caller(user.get(), room.get(), members.roleOf(room.get(), user.get()), admin);
    }

    static WebApplicationException refusal(Response r) {
        return new WebApplicationException(r);
    }
}
