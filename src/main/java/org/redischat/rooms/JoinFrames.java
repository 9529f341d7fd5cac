package org.redischat.rooms;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.accounts.Bots;
import org.redischat.connection.Connection;
import org.redischat.connection.LocalSessions;
import org.redischat.history.MessageLog;
import org.redischat.history.Snapshot;
import org.redischat.members.Presence;
import org.redischat.redis.NodeEvents;
import org.redischat.redis.RoomCap;
import org.redischat.wire.ClientFrame;
import org.redischat.wire.Event;
import org.redischat.wire.FrameException;
import org.redischat.wire.Json;
import org.redischat.wire.ServerFrame;

/**
 * The {@code join} frame, the socket's side of a join: its subscription, presence, the answer and the
 * other nodes. The room's side — admission, membership, the snapshot — is one script, {@link Joins}.
 */
@ApplicationScoped
public class JoinFrames {

    @Inject
    Joins joins;

    @Inject
    MessageLog log;

    @Inject
    LocalSessions sessions;

    @Inject
    Presence presence;

    @Inject
    Directory directory;

    @Inject
    Bots bots;

    @Inject
    Budgets rate;

    @Inject
    NodeEvents nodeEvents;

    @Inject
    @ConfigProperty(name = "chat.join.page", defaultValue = "50")
    int page;

    @Inject
    @ConfigProperty(name = "chat.join.since-max", defaultValue = "1000")
    int sinceMax;

    /**
     * Admits the socket to the room and answers {@code joined}: the socket follows the room first (so
     * nothing published after the join's read is missed), the join script admits and reads, the
     * answer carries the snapshot (or what the client missed since its {@code since}), the members and
     * who of them is online, the room's rules and roles; a new member is announced to the user's
     * sockets on other nodes after the answer. A refused or failed join leaves the socket as it was.
     */
    void join(Connection c, ClientFrame.Join j, boolean direct) {
        String room = j.room();
        if (j.invite() != null && direct) {
            throw new FrameException("forbidden", "a direct room takes no join links", j.ref());
        }
        boolean followed = sessions.follows(c, room);
        c.joining(room);
        try {
            sessions.subscribe(c, room);
            long addedAt = System.nanoTime();
            // a new member is announced by member_add (published by the join's script), then presence
            Joins.Admission rules = direct ? Joins.Admission.DIRECT : j.invite() != null ? Joins.Admission.LINKED
                    : j.makePrivate() ? Joins.Admission.PRIVATE : Joins.Admission.PUBLIC;
            Joins.Joining in;
            try {
                in = joins.join(room, c.user(), j.since(), j.since() != null ? sinceMax : page, rules,
                        j.invite() == null ? null : InviteLinks.idOf(j.invite()));
            } catch (Joins.RefusedException e) {
                throw new FrameException("forbidden", e.getMessage(), j.ref());
            } catch (RoomCap.Reached e) {
                throw Rooms.roomLimit(e, c.user(), j);
            }
            Snapshot s = in.snapshot();
            if (in.added()) {
                presence.joined(c.user(), room, addedAt);
            }
            Boolean recovered = null;
            if (j.since() != null) {
                recovered = (j.epoch() == null || j.epoch().equals(s.epoch())) && j.since() <= s.lastId()
                        && (j.since() == s.lastId() || j.since() + 1 >= s.oldestId());
                if (!recovered) {
                    s = log.newest(room, page);
                }
            }
            List<String> who = in.members();
            // a user with a socket open here is online, whether or not Redis has heard yet (the node's
            // presence thread may still be busy with the flips of other sockets); Redis is asked of the rest
            Set<String> online = new HashSet<>();
            List<String> elsewhere = new ArrayList<>();
            for (String u : who) {
                if (c.avoids(u)) {
                    continue; // blocked, or blocking: shown offline
                }
                if (u.equals(c.user()) || sessions.hasUser(u)) {
                    online.add(u);
                } else {
                    elsewhere.add(u);
                }
            }
            online.addAll(presence.online(elsewhere));
            ServerFrame.Joined answer = new ServerFrame.Joined(room, s.epoch(), who, who.stream().filter(online::contains).toList(),
                    s.messages(), s.more(), recovered);
            if (!direct) {
                answer = answer.withRules(in.isPrivate(), in.roles().getOrDefault(c.user(), "member"), in.roles(), in.topic());
                if (in.added() && !in.isPrivate()) {
                    directory.listed(room);
                }
            }
            answer = answer.withChange(in.change()).withBots(bots.of(who));
            c.joined(room, s.epoch(), s.lastId(), in.version(), answer,
                    in.added() ? Json.write(ServerFrame.Member.added(room, c.user(), bots.is(c.user()))) : null);
            rate.chargeRead(c.user(), Budgets.bytesOf(s.messages()));
            if (in.added()) { // after the answer: this socket's own copy of the change must not come first
                nodeEvents.publish(Event.memberAdd(room, c.user(), in.version(), in.snapshot().lastId(), in.snapshot().epoch(), bots.is(c.user())));
            }
        } catch (RuntimeException e) {
            if (!followed) {
                // refused or failed: a socket that did not follow the room gets nothing of it, not even
                // what arrived while the join was under way (dropped with the room's cursor)
                sessions.unsubscribe(c, room);
            }
            c.joinFailed(room);
            throw e;
        }
    }
}
