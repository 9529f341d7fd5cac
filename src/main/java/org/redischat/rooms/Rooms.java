package org.redischat.rooms;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redischat.accounts.Accounts;
import org.redischat.accounts.Bots;
import org.redischat.history.Search;
import org.redischat.concurrent.Failures;
import org.redischat.connection.Connection;
import org.redischat.connection.LocalSessions;
import org.redischat.wire.Event;
import org.redischat.history.MessageLog;
import org.redischat.members.Blocks;
import org.redischat.members.Members;
import org.redischat.redis.RoomCap;
import org.redischat.metrics.Metrics;
import org.redischat.members.Presence;
import org.redischat.wire.ClientFrame;
import org.redischat.wire.FrameException;
import org.redischat.wire.ServerFrame;
import org.redischat.wire.DirectRoom;
import org.redischat.redis.NodeEvents;

/**
 * What each client frame does, after its form was checked: the budget of its kind first, then the
 * frame is handed to the class for its job — {@link JoinFrames} (join), {@link ReadFrames} (history,
 * thread, search), {@link ModerationFrames} (invite, remove, ban, role, topic, bans),
 * {@link ChangeFrames} (edit, delete, react, changes), {@link BlockFrames} (block); {@code send},
 * {@code leave}, {@code typing} and {@code read} are done here.
 */
@ApplicationScoped
public class Rooms {

    @Inject
    Metrics metrics;

    @Inject
    MessageLog log;

    @Inject
    JoinFrames joining;

    @Inject
    ReadFrames reading;

    @Inject
    Members members;

    @Inject
    Accounts accounts;

    @Inject
    Bots bots;

    @Inject
    NodeEvents nodeEvents;

    @Inject
    LocalSessions sessions;

    @Inject
    Budgets rate;

    @Inject
    Signals signals;

    @Inject
    Presence presence;

    @Inject
    ModerationFrames moderating;

    @Inject
    ChangeFrames changing;

    @Inject
    Directory directory;

    @Inject
    Blocks blocks;

    @Inject
    BlockFrames blocking;

    /**
     * Does what the frame asks, answering on the socket; a {@code send} returns at once with what is
     * still under way (completed once its answer is handed to the socket, or failed with the refusal
     * to answer), everything else null when done.
     */
    public CompletableFuture<?> handle(Connection c, ClientFrame frame) {
        if (frame instanceof ClientFrame.Ping p) {
            c.send(new ServerFrame.Pong(p.ref()));
            return null;
        }
        spend(c.user(), frame);
        if (frame instanceof ClientFrame.Directory d) {
            c.send(directory.page(d.prefix(), d.after(), d.limit(), d.ref()));
            return null;
        }
        if (frame instanceof ClientFrame.Block b) {
            blocking.block(c, b);
            return null;
        }
        String user = c.user();
        if (frame instanceof ClientFrame.Search s) {
            if (s.room() != null) {
                checkDirect(user, s);
            }
            reading.search(c, s);
            return null;
        }
        DirectRoom direct = checkDirect(user, frame);
        if (frame instanceof ClientFrame.Send s) {
            return send(c, s, direct);
        }
        handleInPlace(c, frame, user, direct);
        return null;
    }

    /**
     * Takes the frame from the user's budget of its kind, across nodes: reads (join, history, changes,
     * directory) and edits (moderation, topics, blocks) are refused with {@code rate_limited} when it is
     * spent. Sends and changes to messages take from theirs later, in their order; signals where they
     * are made.
     */
    private void spend(String user, ClientFrame frame) {
        boolean read = frame instanceof ClientFrame.Join || frame instanceof ClientFrame.History
                || frame instanceof ClientFrame.Changes || frame instanceof ClientFrame.Directory
                || frame instanceof ClientFrame.Bans || frame instanceof ClientFrame.Search || frame instanceof ClientFrame.Thread;
        boolean edit = frame instanceof ClientFrame.Moderate || frame instanceof ClientFrame.SetTopic
                || frame instanceof ClientFrame.Block;
        if ((read && !rate.allowRead(user)) || (edit && !rate.allowEdit(user))) {
            throw new FrameException("rate_limited", "too many " + (read ? "reads" : "changes") + ": slow down", frame.ref());
        }
    }

    private void handleInPlace(Connection c, ClientFrame frame, String user, DirectRoom direct) {
        if (frame instanceof ClientFrame.Join j) {
            joining.join(c, j, direct != null);
        } else if (frame instanceof ClientFrame.Moderate m) {
            moderating.moderate(c, m, direct);
        } else if (frame instanceof ClientFrame.SetTopic t) {
            moderating.setTopic(c, t, direct);
        } else if (frame instanceof ClientFrame.Bans b) {
            moderating.bans(c, b, direct);
        } else if (frame instanceof ClientFrame.Change ch) {
            changing.change(c, ch);
        } else if (frame instanceof ClientFrame.Changes ch) {
            changing.changes(c, ch);
        } else if (frame instanceof ClientFrame.Thread t) {
            reading.thread(c, t);
        } else if (frame instanceof ClientFrame.History h) {
            reading.history(c, h);
        } else if (frame instanceof ClientFrame.Leave l) {
            leave(c, l);
        } else {
            signal(c, frame);
        }
    }

    /** {@code forbidden} for a direct room of two others, {@code not_found} when the other user does not exist. */
    private DirectRoom checkDirect(String user, ClientFrame frame) {
        DirectRoom direct = DirectRoom.parse(frame.room()).orElse(null);
        if (direct == null) {
            return null;
        }
        if (!direct.includes(user)) {
            throw new FrameException("forbidden", "a direct room of two other users", frame.ref());
        }
        if (!accounts.exists(direct.other(user))) {
            throw new FrameException("not_found", "no user " + direct.other(user), frame.ref());
        }
        return direct;
    }

    /**
     * The append goes to Redis and the container thread returns; the ack (or the refusal) is sent when
     * Redis answers, on Redisson's thread. The socket's next frame waits for it (see
     * {@link Connection#awaitPrevious}), so a socket's sends are stored, and acked, in the order sent.
     */
    private CompletableFuture<?> send(Connection c, ClientFrame.Send s, DirectRoom direct) {
        // a direct room's send takes its budget first: one refused over the budget costs one round trip,
        // not the block check and the two memberships as well
        // a reply's script takes no budget of its own: it is taken first
        MessageLog.RateCheck budget = direct == null && s.thread() == null ? rate.inline(c.user()) : null;
        if (budget == null && !rate.allow(c.user())) {
            throw rateLimited(s);
        }
        if (direct != null) {
            if (blocks.blocks(direct.other(c.user()), c.user())) {
                throw new FrameException("forbidden", direct.other(c.user()) + " does not take your messages", s.ref());
            }
            for (String u : List.of(direct.first(), direct.second())) {
                long addedAt = System.nanoTime();
                Members.Change added;
                try {
                    added = members.add(s.room(), u);
                } catch (RoomCap.Reached e) {
                    throw roomLimit(e, c.user(), s);
                }
                if (added.changed()) {
                    nodeEvents.publish(Event.memberAdd(s.room(), u, added.version(), added.lastId(), added.epoch(), bots.is(u)));
                    presence.joined(u, s.room(), addedAt);
                }
            }
        }
        long started = System.nanoTime();
        CompletableFuture<MessageLog.Appended> stored = s.thread() == null
                ? log.appendAsync(s.room(), c.user(), s.text(), s.ref(), System.currentTimeMillis(), budget)
                : log.replyAsync(s.room(), c.user(), s.text(), s.ref(), System.currentTimeMillis(), s.thread());
        return stored.handle((a, e) -> {
            if (e != null) {
                throw refusal(Failures.cause(e), s);
            }
            metrics.sent(System.nanoTime() - started);
            c.send(new ServerFrame.Ack(s.ref(), s.room(), a.id()));
            return null;
        });
    }

    /** What a failed append answers. */
    private static RuntimeException refusal(Throwable e, ClientFrame.Send s) {
        if (e instanceof MessageLog.RateLimitedException) {
            return rateLimited(s);
        }
        if (e instanceof MessageLog.NotMemberException) {
            return notMember(s);
        }
        if (e instanceof MessageLog.NoSuchRootException) {
            return new FrameException("not_found", "no message " + s.thread() + " to reply to in " + s.room(), s.ref());
        }
        if (e instanceof MessageLog.NestedThreadException) {
            return FrameException.badRequest("message " + s.thread() + " is a reply: reply in its root's thread", s.ref());
        }
        if (e instanceof MessageLog.NotReplicatedException) {
            return new FrameException("internal", "stored, but no replica confirmed it in time; resend with the same ref", s.ref());
        }
        return e instanceof RuntimeException r ? r : new CompletionException(e);
    }

    private static FrameException rateLimited(ClientFrame.Send s) {
        return new FrameException("rate_limited", "too many messages: slow down", s.ref());
    }

    /**
     * Ends the membership (the script publishes member_remove on the room's channel), stops this
     * socket's events of the room at once — an older member_add still on its way cannot bring them
     * back, its version is lower — and tells the nodes where the user has other sockets.
     */
    private void leave(Connection c, ClientFrame.Leave l) {
        Members.Change removed = members.remove(l.room(), c.user(), c.id());
        if (!removed.changed()) {
            throw notMember(l);
        }
        sessions.left(c, l.room(), removed.version());
        c.send(new ServerFrame.Left(l.room()));
        nodeEvents.publish(Event.memberRemove(l.room(), c.user(), c.id(), removed.version()));
    }

    /** typing and read: over the user's signal budget they are dropped, as throttled typing is (neither is answered). */
    private void signal(Connection c, ClientFrame frame) {
        if (!rate.allowSignal(c.user())) {
            metrics.error("rate_limited");
            return;
        }
        try {
            if (frame instanceof ClientFrame.Read r) {
                signals.read(r.room(), c.user(), r.id(), c.id());
            } else {
                signals.typing(frame.room(), c.user());
            }
        } catch (Signals.NotMemberException e) {
            throw notMember(frame);
        }
    }

    /** {@code limit_reached}: the user, or the other user of a direct room, is in the most rooms allowed. */
    static FrameException roomLimit(RoomCap.Reached e, String user, ClientFrame frame) {
        return new FrameException("limit_reached", e.user().equals(user)
                ? "you are in the most rooms allowed: leave one first"
                : e.user() + " is in the most rooms allowed", frame.ref());
    }

    static FrameException notMember(ClientFrame frame) {
        return new FrameException("not_member", "not a member of " + frame.room(), frame.ref());
    }
}
