package org.redischat.rooms;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redischat.connection.Connection;
import org.redischat.members.Blocks;
import org.redischat.wire.ClientFrame;
import org.redischat.wire.Event;
import org.redischat.wire.FrameException;
import org.redischat.wire.ServerFrame;
import org.redischat.redis.NodeEvents;

/**
 * What block and unblock do: the pair written in Redis, the answer, and the news for
 * the nodes where either user has sockets, which stop showing each the other's typing and presence.
 * Whether the other user exists is not said: blocking a name that has no account is answered alike.
 */
@ApplicationScoped
public class BlockFrames {

    @Inject
    Blocks blocks;

    @Inject
    NodeEvents nodeEvents;

    void block(Connection c, ClientFrame.Block b) {
        if (b.user().equals(c.user())) {
            throw new FrameException("bad_request", "'user' must be someone else", b.ref());
        }
        try {
            blocks.set(c.user(), b.user(), b.on());
        } catch (Blocks.FullException e) {
            throw new FrameException("limit_reached", "you block the most users allowed: unblock one first", b.ref());
        }
        c.send(new ServerFrame.Blocked(b.on() ? "blocked" : "unblocked", b.user(), b.ref()));
        nodeEvents.publish(Event.block(c.user(), b.user(), b.on()));
    }
}
