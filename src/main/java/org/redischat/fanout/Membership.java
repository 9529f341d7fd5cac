package org.redischat.fanout;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redischat.connection.Connection;
import org.redischat.connection.LocalSessions;
import org.redischat.connection.Subscriptions;
import org.redischat.members.Members;
import org.redischat.wire.Event;
import org.redischat.wire.Json;
import org.redischat.wire.ServerFrame;

/**
 * Membership changes from the bus, applied to this node's sockets: which of them follow a room from
 * where. A change can arrive twice (on the room's channel and on the node channel) or late (behind a
 * newer one); each socket applies a change once and never an older one after a newer (membership
 * versions, {@link Connection#advanceMembership}).
 */
@ApplicationScoped
public class Membership {

    @Inject
    LocalSessions sessions;

    @Inject
    Members members;

    @Inject
    Subscriptions bus;

    /**
     * A user became a member (the room's channel said so): the user's sockets here that have not seen
     * this change follow the room from the newest id it had then, and are told; so is everyone else
     * here who follows the room.
     */
    public void added(Event e, String frame) {
        for (Connection c : sessions.socketsOf(e.user())) {
            if (c.advanceMembership(e.room(), e.v())) {
                sessions.subscribe(c, e.room());
                long from = e.id() == null ? 0 : e.id();
                c.startAt(e.room(), e.epoch(), from, from);
                c.offer(e.room(), null, 0, frame);
            }
        }
        sessions.offerToRoom(e.room(), null, 0, frame, c -> !c.user().equals(e.user()));
    }

    /**
     * A user left (the room's channel said so): the remaining members here are told, and the user's
     * sockets that have not seen this change stop following the room (told, but for the one that left).
     */
    public void removed(Event e, String frame) {
        sessions.offerToRoom(e.room(), null, 0, frame, c -> !c.user().equals(e.user()));
        for (Connection c : sessions.socketsOf(e.user())) {
            if (c.advanceMembership(e.room(), e.v())) {
                if (sessions.follows(c, e.room()) && !c.id().equals(e.origin())) {
                    c.offer(e.room(), null, 0, frame);
                }
                sessions.unsubscribe(c, e.room());
            }
        }
    }

    /**
     * Where a member who came by {@code e} starts in the room as it is {@code now}: after the newest id
     * when they came; at the beginning when the room had no history yet (a direct room's first send
     * adds its members before its first message); after the newest id now when the history was lost
     * and began anew since.
     */
    static long startOf(Event e, Members.Now now) {
        if (e.epoch() == null || e.epoch().isEmpty()) {
            return 0;
        }
        return e.epoch().equals(now.epoch()) && e.id() != null ? Math.min(e.id(), now.lastId()) : now.lastId();
    }

    /**
     * A membership change told on the node channel, for the user's sockets here, which may follow no
     * socket of the room yet (the change was made on another node or by a direct message). A removal
     * is applied as for the room's channel. For an addition this node subscribes to the room first,
     * then reads the membership as it is now, so that a later change reaches it on the room's channel,
     * and an older one, overtaken meanwhile, is not applied.
     */
    public void changedElsewhere(Event e, String frame) {
        Set<Connection> mine = sessions.socketsOf(e.user());
        if (mine.isEmpty() || mine.stream().allMatch(c -> c.membershipVersion(e.room()) >= e.v())) {
            return;
        }
        if (e.kind().equals("member_remove")) {
            removed(e, frame);
            return;
        }
        bus.withRoom(e.room(), () -> {
            Members.Now now = members.now(e.room(), e.user());
            String removed = Json.write(new ServerFrame.Member("member_remove", e.room(), e.user()));
            for (Connection c : sessions.socketsOf(e.user())) {
                if (!c.advanceMembership(e.room(), now.version())) {
                    continue;
                }
                if (now.member() && !sessions.follows(c, e.room())) {
                    sessions.subscribe(c, e.room());
                    c.startAt(e.room(), now.epoch(), startOf(e, now), now.lastId());
                    c.offer(e.room(), null, 0, frame);
                } else if (!now.member() && sessions.follows(c, e.room())) {
                    c.offer(e.room(), null, 0, removed);
                    sessions.unsubscribe(c, e.room());
                }
            }
        });
    }
}
