package org.redischat.fanout;

import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redischat.connection.LocalSessions;
import org.redischat.metrics.Metrics;
import org.redischat.wire.Json;
import org.redischat.wire.ServerFrame;
import org.redischat.wire.Event;

/**
 * Turns a raw event from the bus into one frame, serialized once, for the local sockets that should
 * get it. Runs on the fan-out thread only, in the order the events arrived.
 */
@ApplicationScoped
public class Dispatch {

    private static final Logger LOG = Logger.getLogger(Dispatch.class.getName());

    @Inject
    LocalSessions sessions;

    @Inject
    Membership membership;

    @Inject
    Metrics metrics;

    private final java.util.concurrent.atomic.AtomicBoolean slowPathSaid = new java.util.concurrent.atomic.AtomicBoolean();

    /** An event of a room's channel. */
    void fromRoom(String raw) {
        try {
            StoredMessage m = StoredMessage.parse(raw);
            if (m != null) {
                sessions.deliver(m.room(), m.epoch(), m.id(), m.frame());
                return;
            }
            Event e = Json.read(raw, Event.class);
            switch (e.kind()) {
                case "message" -> {
                    // the append script's form was not recognised: read with JSON-B (slower), and say so once
                    metrics.slowPathEvent();
                    if (slowPathSaid.compareAndSet(false, true)) {
                        LOG.warning("a message event not in the append script's form was read the slow way: " + raw);
                    }
                    sessions.deliver(e.room(), e.epoch(), e.message().id(), Json.write(new ServerFrame.MessageFrame(e.message())));
                }
                case "member_add" -> membership.added(e, memberFrame(e));
                case "member_remove" -> membership.removed(e, memberFrame(e));
                case "typing" -> sessions.toOthers(e.room(), e.user(), Json.write(new ServerFrame.Typing(e.room(), e.user())));
                case "read" -> sessions.readMoved(e.room(), e.user(), e.origin(),
                        Json.write(new ServerFrame.ReadMark(e.room(), e.id())));
                case "presence" -> sessions.toOthers(e.room(), e.user(),
                        Json.write(new ServerFrame.Presence(e.room(), e.user(), e.online())));
                default -> LOG.warning("unknown room event kind " + e.kind());
            }
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "could not handle an event from a room's channel", ex);
        }
    }

    /** An event of the node channel: a revocation, or a membership change for this node's sockets of the user. */
    void fromNodes(String raw) {
        try {
            Event e = Json.read(raw, Event.class);
            switch (e.kind()) {
                case "revoke" -> sessions.revoked(e.token());
                case "member_add", "member_remove" -> membership.changedElsewhere(e, memberFrame(e));
                default -> LOG.warning("unknown node event kind " + e.kind());
            }
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "could not handle an event from the node channel", ex);
        }
    }

    private static String memberFrame(Event e) {
        return Json.write(new ServerFrame.Member(e.kind(), e.room(), e.user()));
    }
}
