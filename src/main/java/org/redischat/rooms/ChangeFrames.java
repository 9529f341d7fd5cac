package org.redischat.rooms;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redischat.accounts.ServerAdmins;
import org.redischat.connection.Connection;
import org.redischat.history.Changes;
import org.redischat.members.Members;
import org.redischat.wire.ClientFrame;
import org.redischat.wire.FrameException;
import org.redischat.wire.ServerFrame;

/**
 * What edit, delete, react and changes do, after their form was checked: the rate,
 * then {@link Changes}' script, which checks the rights and the message's state in the same step as
 * the change and its publication; its answer turned into the reply.
 */
@ApplicationScoped
public class ChangeFrames {

    @Inject
    Changes changes;

    @Inject
    Budgets rate;

    @Inject
    Members members;

    @Inject
    ServerAdmins admins;

    /** edit, delete, react: edits and deletes take from the edit budget, reactions from the send budget. */
    void change(Connection c, ClientFrame.Change f) {
        boolean react = f.action().equals("react");
        if (!(react ? rate.allow(c.user()) : rate.allowEdit(c.user()))) {
            throw new FrameException("rate_limited", react ? "too many messages and reactions: slow down"
                    : "too many edits and deletes: slow down", f.ref());
        }
        Changes.Outcome done;
        try {
            done = changes.change(Changes.Action.valueOf(f.action().toUpperCase(Locale.ROOT)), f.room(), c.user(), f.id(), f.value(),
                    f.action().equals("delete") && admins.isAdmin(c.user()));
        } catch (Changes.RefusedException e) {
            throw switch (e.refusal()) {
                case NOT_MEMBER -> Rooms.notMember(f);
                case NOT_FOUND -> new FrameException("not_found", "no message " + f.id() + " in " + f.room()
                        + (f.action().equals("delete") ? "" : " (or it was deleted)"), f.ref());
                case TOO_MANY -> new FrameException("bad_request", "a message carries at most " + changes.maxEmoji()
                        + " different reactions", f.ref());
                case FORBIDDEN -> new FrameException("forbidden", f.action().equals("edit")
                        ? "only its author edits a message" : "only its author, a moderator or the owner deletes a message", f.ref());
            };
        }
        String answer = switch (f.action()) {
            case "edit" -> "edited";
            case "delete" -> "deleted";
            default -> "reacted";
        };
        c.send(new ServerFrame.Changing(answer, f.room(), f.id(), react ? f.value() : null, react ? done.on() : null, f.ref()));
    }

    /** changes: members only, as for history. */
    void changes(Connection c, ClientFrame.Changes f) {
        if (!members.isMember(f.room(), c.user())) {
            throw Rooms.notMember(f);
        }
        Changes.Page p = changes.after(f.room(), f.after(), f.limit());
        c.send(new ServerFrame.Changes(f.room(), p.messages(), p.upTo(), p.more(), f.ref()));
        rate.chargeRead(c.user(), Budgets.bytesOf(p.messages()));
    }
}
