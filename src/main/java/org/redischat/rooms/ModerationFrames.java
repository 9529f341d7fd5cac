package org.redischat.rooms;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redischat.accounts.Accounts;
import org.redischat.accounts.ServerAdmins;
import org.redischat.connection.Connection;
import org.redischat.wire.ClientFrame;
import org.redischat.wire.DirectRoom;
import org.redischat.wire.Event;
import org.redischat.wire.FrameException;
import org.redischat.wire.ServerFrame;
import org.redischat.redis.NodeEvents;

/**
 * What invite, remove, ban, unban, set_role and set_topic do, and bans, after their form was
 * checked: the checks that need no script, then {@link Moderation}'s script, its answer turned into
 * the reply and, for a removal, the copy for the nodes where the user has sockets.
 */
@ApplicationScoped
public class ModerationFrames {

    @Inject
    Moderation moderation;

    @Inject
    Accounts accounts;

    @Inject
    org.redischat.members.Members members;

    @Inject
    NodeEvents nodeEvents;

    @Inject
    ServerAdmins admins;

    /**
     * invite, remove, ban, unban, set_role: the script checks the rights and makes the
     * change; a removal also goes to the nodes where the user has sockets, as a leave does.
     */
    void moderate(Connection c, ClientFrame.Moderate m, DirectRoom direct) {
        if (direct != null) {
            throw new FrameException("forbidden", "a direct room has no moderation", m.ref());
        }
        boolean admin = admins.isAdmin(c.user());
        if (m.action().equals("invite")) {
            // an invitation names someone who can sign in: a member (or a server administrator) learns whether
            // the name has an account (at the edit budget's pace); nobody else does, and no other action says it
            if (!admin && !members.isMember(m.room(), c.user())) {
                throw Rooms.notMember(m);
            }
            if (!accounts.exists(m.user())) {
                throw new FrameException("not_found", "no user " + m.user(), m.ref());
            }
        }
        String action = m.action().equals("set_role") ? "role" : m.action();
        Moderation.Outcome done;
        try {
            done = moderation.act(action, m.room(), c.user(), m.user(), m.role(), c.id(), admin);
        } catch (Moderation.RefusedException e) {
            throw switch (e.refusal()) {
                case NOT_MEMBER -> Rooms.notMember(m);
                case TARGET_NOT_MEMBER -> new FrameException("bad_request", m.user() + " is not a member of " + m.room(), m.ref());
                case FORBIDDEN -> new FrameException("forbidden", "not allowed to " + m.action().replace('_', ' ')
                        + " " + m.user() + " in " + m.room(), m.ref());
            };
        }
        String answer = switch (m.action()) {
            case "invite" -> "invited";
            case "remove" -> "removed";
            case "ban" -> "banned";
            case "unban" -> "unbanned";
            default -> "role_set";
        };
        c.send(new ServerFrame.Moderated(answer, m.room(), m.user(), m.role(), m.ref()));
        if (done.changed() && (action.equals("remove") || action.equals("ban"))) {
            nodeEvents.publish(Event.memberRemove(m.room(), m.user(), c.id(), done.version()));
        }
    }

    /** bans: a page of the users banned from the room, for a moderator or the owner. */
    void bans(Connection c, ClientFrame.Bans b, DirectRoom direct) {
        if (direct != null) {
            throw new FrameException("forbidden", "a direct room has no bans", b.ref());
        }
        Moderation.Banned page;
        try {
            page = moderation.bans(b.room(), c.user(), b.after(), b.limit(), admins.isAdmin(c.user()));
        } catch (Moderation.RefusedException e) {
            throw e.refusal() == Moderation.Refusal.NOT_MEMBER ? Rooms.notMember(b)
                    : new FrameException("forbidden", "only a moderator or the owner lists the bans of " + b.room(), b.ref());
        }
        c.send(new ServerFrame.Bans(b.room(), page.users(), page.more(), b.ref()));
    }

    /** set_topic: a moderator or the owner; every member hears the topic event. */
    void setTopic(Connection c, ClientFrame.SetTopic t, DirectRoom direct) {
        if (direct != null) {
            throw new FrameException("forbidden", "a direct room has no topic", t.ref());
        }
        try {
            moderation.act("topic", t.room(), c.user(), c.user(), t.topic(), c.id(), admins.isAdmin(c.user()));
        } catch (Moderation.RefusedException e) {
            throw e.refusal() == Moderation.Refusal.NOT_MEMBER ? Rooms.notMember(t)
                    : new FrameException("forbidden", "only a moderator or the owner sets the topic of " + t.room(), t.ref());
        }
        c.send(new ServerFrame.TopicSet(t.room(), t.topic(), t.ref()));
    }

}
