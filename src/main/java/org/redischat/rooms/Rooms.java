package org.redischat.rooms;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.accounts.Accounts;
import org.redischat.accounts.Bots;
import org.redischat.history.Search;
import org.redischat.history.Threads;
import org.redischat.wire.SearchCursor;
import org.redischat.concurrent.Failures;
import org.redischat.connection.Connection;
import org.redischat.connection.LocalSessions;
import org.redischat.wire.Event;
import org.redischat.history.MessageLog;
import org.redischat.history.Snapshot;
import org.redischat.members.Blocks;
import org.redischat.members.Members;
import org.redischat.redis.RoomCap;
import org.redischat.metrics.Metrics;
import org.redischat.members.Presence;
import org.redischat.wire.ClientFrame;
import org.redischat.wire.FrameException;
import org.redischat.wire.Json;
import org.redischat.wire.ServerFrame;
import org.redischat.wire.DirectRoom;
import org.redischat.redis.NodeEvents;

/**
 * What each client frame does, after its form was checked: rights first, then the effect. The frames
 * of one kind that grew a class of their own are handed on (moderation: {@link ModerationFrames};
 * edits, deletes, reactions: {@link ChangeFrames}); join, send, history and leave stay here. Over 250
 * lines because a join is the whole admission of a socket to a room (rules, subscription, snapshot,
 * presence, the answer, the other nodes) and is kept in one piece.
 */
@ApplicationScoped
public class Rooms {

    @Inject
    Metrics metrics;

    @Inject
    MessageLog log;

    @Inject
    Members members;

    @Inject
    Accounts accounts;

    @Inject
    Bots bots;

    @Inject
    Search searching;

    @Inject
    Threads threads;

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

    @Inject
    @ConfigProperty(name = "chat.join.page", defaultValue = "50")
    int page;

    @Inject
    @ConfigProperty(name = "chat.join.since-max", defaultValue = "1000")
    int sinceMax;

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
            search(c, s);
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
            join(c, j, direct != null);
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
            Threads.Page p;
            try {
                p = threads.read(t.room(), user, t.id(), t.after(), t.limit());
            } catch (MessageLog.NotMemberException e) {
                throw notMember(t);
            } catch (Threads.NotFoundException e) {
                throw new FrameException("not_found", "no message " + t.id() + " in " + t.room(), t.ref());
            }
            c.send(new ServerFrame.Thread(t.room(), p.root(), p.replies(), p.more(), p.wasUnread(), t.ref()));
            rate.chargeRead(user, Budgets.bytesOf(p.replies()));
        } else if (frame instanceof ClientFrame.History h) {
            requireMember(frame, user);
            MessageLog.Page p = log.before(h.room(), h.before(), h.limit());
            c.send(new ServerFrame.History(h.room(), p.messages(), p.more()));
            rate.chargeRead(user, Budgets.bytesOf(p.messages()));
        } else if (frame instanceof ClientFrame.Leave l) {
            leave(c, l);
        } else {
            signal(c, frame);
        }
    }

    /**
     * search (protocol 1.9): one named room (a member's), or every room of the user; what it scanned
     * is charged to the read budget, and what it found as a read's bytes.
     */
    private void search(Connection c, ClientFrame.Search s) {
        if (s.room() != null) {
            checkDirect(c.user(), s);
        }
        List<String> rooms = s.room() != null ? List.of(s.room()) : members.roomsOf(c.user());
        Search.Found found;
        try {
            found = searching.in(c.user(), rooms, new Search.Query(s.words(), s.from(), s.start(), s.end(), s.limit()),
                    s.cursor() == null ? null : SearchCursor.parse(s.cursor()).orElseThrow());
        } catch (Search.NotMemberException e) {
            throw notMember(s);
        }
        c.send(new ServerFrame.Search(found.messages(), found.next() == null ? null : found.next().toString(), s.ref()));
        rate.chargeScan(c.user(), found.scanned());
        rate.chargeRead(c.user(), Budgets.bytesOf(found.messages()));
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

    private void join(Connection c, ClientFrame.Join j, boolean direct) {
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
            MessageLog.Admission rules = direct ? MessageLog.Admission.DIRECT : j.invite() != null ? MessageLog.Admission.LINKED
                    : j.makePrivate() ? MessageLog.Admission.PRIVATE : MessageLog.Admission.PUBLIC;
            MessageLog.Joining in;
            try {
                in = log.join(room, c.user(), j.since(), j.since() != null ? sinceMax : page, rules,
                        j.invite() == null ? null : InviteLinks.idOf(j.invite()));
            } catch (MessageLog.JoinRefusedException e) {
                throw new FrameException("forbidden", e.getMessage(), j.ref());
            } catch (RoomCap.Reached e) {
                throw roomLimit(e, c.user(), j);
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

    /**
     * The append goes to Redis and the container thread returns; the ack (or the refusal) is sent when
     * Redis answers, on Redisson's thread. The socket's next frame waits for it (see
     * {@link Connection#awaitPrevious}), so a socket's sends are stored, and acked, in the order sent.
     */
    private CompletableFuture<?> send(Connection c, ClientFrame.Send s, DirectRoom direct) {
        // a direct room's send takes its budget first: one refused over the budget costs one round trip,
        // not the block check and the two memberships as well
        // a reply's script takes no budget of its own: it is taken first (protocol 1.9)
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

    private void requireMember(ClientFrame frame, String user) {
        if (!members.isMember(frame.room(), user)) {
            throw notMember(frame);
        }
    }

    /** {@code limit_reached}: the user, or the other user of a direct room, is in the most rooms allowed. */
    private static FrameException roomLimit(RoomCap.Reached e, String user, ClientFrame frame) {
        return new FrameException("limit_reached", e.user().equals(user)
                ? "you are in the most rooms allowed: leave one first"
                : e.user() + " is in the most rooms allowed", frame.ref());
    }

    static FrameException notMember(ClientFrame frame) {
        return new FrameException("not_member", "not a member of " + frame.room(), frame.ref());
    }
}
