package org.redischat.fanout;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redischat.accounts.Bots;
import org.redischat.connection.LocalSessions;
import org.redischat.metrics.Metrics;
import org.redischat.wire.Envelope;
import org.redischat.wire.Event;
import org.redischat.wire.Json;
import org.redischat.wire.ServerFrame;

/**
 * Turns a raw event from the bus into one frame, serialized once, for the local sockets that should
 * get it. Runs on the fan-out thread only, in the order the events arrived. A message comes with its
 * frame built by the append script ({@link Envelope}); anything else is read with JSON-B.
 */
@ApplicationScoped
public class FanOut {

    private static final Logger LOG = Logger.getLogger(FanOut.class.getName());

    @Inject
    LocalSessions sessions;

    @Inject
    Bots bots;

    @Inject
    Membership membership;

    @Inject
    Metrics metrics;

    @Inject
    Resync resync;

    private final AtomicBoolean unreadableSaid = new AtomicBoolean();

    /** An event of a room's channel. */
    void fromRoom(String raw) {
        try {
            Envelope.Read r = read(raw);
            if (r instanceof Envelope.Delivery m) {
                sessions.deliver(m.room(), m.epoch(), m.id(), m.frame());
            } else if (r instanceof Envelope.Changed ch) {
                sessions.toRoom(ch.room(), ch.frame()); // a message's whole new state: a later one supersedes it
                resync.changeSeen(ch.room(), ch.change());
            } else if (r instanceof Envelope.Other o) {
                fromRoom(o.event());
            }
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "could not handle an event from a room's channel", ex);
        }
    }

    private void fromRoom(Event e) {
        switch (e.kind()) {
            case "member_add" -> membership.added(e, memberFrame(e));
            case "member_remove" -> membership.removed(e, memberFrame(e));
            case "typing" -> sessions.toOthers(e.room(), e.user(), Json.write(new ServerFrame.Typing(e.room(), e.user())));
            case "read" -> sessions.readMoved(e.room(), e.user(), e.origin(),
                    Json.write(new ServerFrame.ReadMark(e.room(), e.id())));
            case "presence" -> sessions.toOthers(e.room(), e.user(),
                    Json.write(new ServerFrame.Presence(e.room(), e.user(), e.online())));
            case "topic" -> sessions.toRoom(e.room(), Json.write(new ServerFrame.Topic(e.room(), e.topic(), e.user())));
            case "role" -> sessions.toRoom(e.room(), Json.write(new ServerFrame.Role(e.room(), e.user(), e.role())));
            default -> LOG.warning("unknown room event kind " + e.kind());
        }
    }

    /** An event of the node channel: a revocation, a block, a new bot, or a membership change for this node's sockets of the user. */
    void fromNodes(String raw) {
        try {
            if (!(read(raw) instanceof Envelope.Other o)) {
                return;
            }
            Event e = o.event();
            switch (e.kind()) {
                case "revoke" -> sessions.revoked(e.token());
                case "block", "unblock" -> sessions.blockChanged(e.user(), e.target(), e.kind().equals("block"));
                case "bot" -> bots.remember(e.user());
                case "member_add", "member_remove" -> membership.changedElsewhere(e, memberFrame(e));
                default -> LOG.warning("unknown node event kind " + e.kind());
            }
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "could not handle an event from the node channel", ex);
        }
    }

    /** The envelope taken apart; null (counted, said once) when this node cannot read it. */
    private Envelope.Read read(String raw) {
        Envelope.Read r = Envelope.read(raw);
        if (r instanceof Envelope.Unreadable u) {
            metrics.unreadableEvent();
            if (unreadableSaid.compareAndSet(false, true)) {
                LOG.warning("an event this node cannot read was dropped (" + u.reason() + "): " + raw);
            }
            return null;
        }
        return r;
    }

    private static String memberFrame(Event e) {
        return Json.write(new ServerFrame.Member(e.kind(), e.room(), e.user(), e.bot()));
    }
}
