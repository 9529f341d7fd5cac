package org.redischat.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.concurrent.Failures;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redischat.wire.Envelope;
import org.redischat.redis.Channels;
import org.redischat.redis.Keys;
import org.redischat.redis.LuaScript;
import org.redischat.redis.Replicas;
import org.redischat.redis.ScriptReply;
import org.redischat.wire.Mentions;
import org.redischat.wire.Message;

/**
 * Each room's history in Redis: appending a message or a reply (one script each, which also records
 * mentions), pages of the log, and the heads a welcome reads; the refusals the scripts report are
 * types of their own.
 */
@ApplicationScoped
public class MessageLog {

    private static final LuaScript APPEND = LuaScript.load(MessageLog.class, "append.lua", "gcra.lua", "/org/redischat/history/posting.lua");
    private static final LuaScript REPLY = LuaScript.load(MessageLog.class, "reply.lua", "/org/redischat/history/posting.lua");
    private static final LuaScript SNAPSHOT = LuaScript.load(MessageLog.class, "snapshot.lua",
            "fields.lua", "/org/redischat/history/page.lua");

    @Inject
    RedissonClient redis;

    @Inject
    Channels channels;

    @Inject
    Replicas replicas;

    @Inject
    @ConfigProperty(name = "chat.history.retention", defaultValue = "10000")
    int retention;

    @Inject
    @ConfigProperty(name = "chat.send.ref-ttl-seconds", defaultValue = "600")
    int refTtlSeconds;

    /**
     * Most bytes of messages in one answer ({@code joined}, {@code history}); more are left for the
     * next page ({@code more:true}). Below the socket's outbound bound, so a valid request is never
     * answered by a close for a full queue.
     */
    @Inject
    @ConfigProperty(name = "chat.answer.max-bytes", defaultValue = "262144")
    long answerBytes = 262_144;

    /** What became of an append: stored (or found stored under the same ref), or refused. */
    public record Appended(long id, String epoch, boolean duplicate) {
    }

    public static final class NotMemberException extends RuntimeException {
        NotMemberException() {
            super(null, null, false, false);
        }
    }

    /** A reply's root is not a message of the room, or was deleted; nothing was stored. */
    public static final class NoSuchRootException extends RuntimeException {
        NoSuchRootException() {
            super(null, null, false, false);
        }
    }

    /** A reply's root is itself a reply: threads are one level deep; nothing was stored. */
    public static final class NestedThreadException extends RuntimeException {
        NestedThreadException() {
            super(null, null, false, false);
        }
    }

    /** The sender's rate budget is spent; nothing was stored. */
    public static final class RateLimitedException extends RuntimeException {
        RateLimitedException() {
            super(null, null, false, false);
        }
    }

    /**
     * The message was stored on the master, but not as many replicas as {@code chat.ack.replicas} asks
     * held it within the wait: no ack (a failover could still lose it). A resend with the same ref
     * finds it stored and is acked once a replica has it.
     */
    public static final class NotReplicatedException extends RuntimeException {
        NotReplicatedException() {
            super(null, null, false, false);
        }
    }

    /** A send-rate budget for the append script to take from: its key, microseconds per message, burst. */
    public record RateCheck(String key, long intervalMicros, int burst) {
    }

    /**
     * Stores the message, unless the ref was stored in the last ref-ttl, and publishes what it stored,
     * waiting for Redis (an incoming webhook's post).
     *
     * @throws NotMemberException when the sender is not a member
     */
    public Appended append(String room, String from, String text, String ref, long ts) {
        try {
            return appendAsync(room, from, text, ref, ts, null).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw Failures.cause(e) instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * Stores and publishes the message, after taking it from the rate budget when one is given; all of
     * it in one script, so one round trip to Redis, without holding the calling thread while Redis
     * works: the result completes on Redisson's threads, or fails with {@link RateLimitedException}
     * (the budget is spent, nothing stored) or {@link NotMemberException} (the budget was used).
     */
    public java.util.concurrent.CompletableFuture<Appended> appendAsync(String room, String from, String text, String ref,
            long ts, RateCheck rate) {
        String[] json = Message.jsonAroundId(room, from, text, ts);
        List<Object> keys = new ArrayList<>(List.of(Keys.epoch(room), Keys.seq(room), Keys.log(room),
                Keys.members(room), Keys.ref(room, from, ref == null ? "" : ref)));
        List<Object> args = new ArrayList<>(List.of(Snapshot.newEpoch(), from, json[0], json[1], String.valueOf(retention),
                ref == null ? "0" : String.valueOf(refTtlSeconds), Keys.channel(room), Envelope.messageHead(room),
                channels.publishCommand()));
        if (rate != null) {
            keys.add(rate.key());
            args.add(String.valueOf(rate.intervalMicros()));
            args.add(String.valueOf(rate.burst()));
        }
        List<String> named = Mentions.in(text, from);
        if (!named.isEmpty()) {
            if (rate == null) {
                args.addAll(List.of("0", "0")); // the rate's places, unused
            }
            args.add(String.valueOf(named.size()));
            for (String user : named) {
                keys.add(Keys.mentions(room, user));
                args.add(user);
            }
        }
        return storeAsync(APPEND, room, keys, args);
    }

    /** Of a thread's people, the most whose unread count one reply raises. */
    static final int MAX_THREAD_PEOPLE_COUNTED = 200;

    /**
     * As {@link #appendAsync}, a reply in the thread of message {@code root}: stored as a
     * message carrying {@code thread}, the root changed to count it; {@link NoSuchRootException},
     * {@link NestedThreadException} or {@link NotMemberException} when refused. The send rate is the
     * caller's to take first.
     */
    public java.util.concurrent.CompletableFuture<Appended> replyAsync(String room, String from, String text, String ref,
            long ts, long root) {
        String[] json = Message.jsonAroundId(room, from, text, ts, root);
        List<Object> keys = new ArrayList<>(List.of(Keys.epoch(room), Keys.seq(room), Keys.log(room), Keys.members(room),
                Keys.ref(room, from, ref == null ? "" : ref), Keys.meta(room), Keys.changes(room), Keys.thread(room, root),
                Keys.threadPeople(room, root), Keys.threadRoots(room)));
        List<String> named = Mentions.in(text, from);
        List<Object> args = new ArrayList<>(List.of(from, String.valueOf(root), json[0], json[1], String.valueOf(retention),
                ref == null ? "0" : String.valueOf(refTtlSeconds), Keys.channel(room), channels.publishCommand(),
                Envelope.messageHead(room), Envelope.changedHead(room), Keys.threadsUnreadPrefix(room),
                String.valueOf(MAX_THREAD_PEOPLE_COUNTED), String.valueOf(named.size()), Keys.threadPrefix(room)));
        for (String user : named) {
            keys.add(Keys.mentions(room, user));
            args.add(user);
        }
        return storeAsync(REPLY, room, keys, args);
    }

    /** Runs a storing script, waiting for the replicas an ack waits for (chat.ack.replicas). */
    private java.util.concurrent.CompletableFuture<Appended> storeAsync(LuaScript script, String room, List<Object> keys,
            List<Object> args) {
        String log = Keys.log(room);
        int waitFor = replicas.waitFor(log);
        if (waitFor > 0) {
            return script.runReplicatedAsync(redis, waitFor, replicas.timeoutMillis(), keys, args.toArray()).thenApply(done -> {
                List<Object> r = done.result();
                if (stored(r) && !replicas.acked(log, done.replicas(), inSync(r), replid(r))) {
                    throw new NotReplicatedException();
                }
                return appended(r);
            });
        }
        return script.runAsync(redis, keys, args.toArray()).thenApply(r -> {
            if (stored(r) && replicas.count() > 0) {
                replicas.acked(log, 0, inSync(r), replid(r)); // learns the master's replicas; none waited for
            }
            return appended(r);
        });
    }

    private static boolean stored(List<Object> r) {
        return "stored".equals(r.get(0)) || "duplicate".equals(r.get(0));
    }

    /** The replicas in sync the script saw (-1: unknown). */
    private static long inSync(List<Object> r) {
        return r.size() > 3 && r.get(3) instanceof Number n ? n.longValue() : -1;
    }

    private static String replid(List<Object> r) {
        return r.size() > 4 ? String.valueOf(r.get(4)) : "";
    }

    private static Appended appended(List<Object> r) {
        if ("rate_limited".equals(r.get(0))) {
            throw new RateLimitedException();
        }
        if ("not_member".equals(r.get(0))) {
            throw new NotMemberException();
        }
        if ("not_found".equals(r.get(0))) {
            throw new NoSuchRootException();
        }
        if ("nested".equals(r.get(0))) {
            throw new NestedThreadException();
        }
        return new Appended(Long.parseLong((String) r.get(1)), (String) r.get(2), "duplicate".equals(r.get(0)));
    }

    /** The newest {@code count} messages (at most {@code chat.answer.max-bytes} of them). */
    public Snapshot newest(String room, int count) {
        return snapshot(room, "desc", "+inf", count);
    }

    /** The oldest {@code count} messages after id {@code since} (at most {@code chat.answer.max-bytes} of them). */
    public Snapshot after(String room, long since, int count) {
        return snapshot(room, "asc", "(" + since, count);
    }

    private Snapshot snapshot(String room, String order, String bound, int count) {
        List<Object> r = SNAPSHOT.run(redis, List.of(Keys.epoch(room), Keys.seq(room), Keys.log(room)),
                Snapshot.newEpoch(), order, bound, String.valueOf(count), String.valueOf(answerBytes));
        return Snapshot.of(ScriptReply.of(r), "desc".equals(order));
    }

    /**
     * Up to {@code limit} newest messages with ids below {@code before} (null: all), ascending, and at
     * most {@code chat.answer.max-bytes} of them, bounded in Redis.
     */
    public Page before(String room, Long before, int limit) {
        Snapshot s = snapshot(room, "desc", before == null ? "+inf" : "(" + before, limit);
        return new Page(s.messages(), s.more());
    }

    /** The messages with ids from {@code from} to {@code to}, both included, ascending. */
    public List<Message> range(String room, long from, long to) {
        Collection<String> found = redis.<String>getScoredSortedSet(Keys.log(room), StringCodec.INSTANCE)
                .valueRange(from, true, to, true);
        return found.stream().map(Message::parse).toList();
    }

    /**
     * Newest id, epoch (null if none yet) and the user's read mark of each room, in one round trip;
     * with a null user, no read marks are read (lastRead 0) but the room's newest change number is.
     */
    public Map<String, Head> heads(Collection<String> rooms, String user) {
        if (rooms.isEmpty()) {
            return Map.of();
        }
        RBatch batch = redis.createBatch();
        Map<String, List<RFuture<?>>> pending = new LinkedHashMap<>();
        for (String room : rooms) {
            pending.put(room, Arrays.asList(
                    batch.getBucket(Keys.seq(room), StringCodec.INSTANCE).getAsync(),
                    batch.getBucket(Keys.epoch(room), StringCodec.INSTANCE).getAsync(),
                    user == null ? null : batch.getMap(Keys.readMarks(room), StringCodec.INSTANCE).getAsync(user),
                    user == null ? null : batch.getBucket(Keys.memberVersion(room), StringCodec.INSTANCE).getAsync(),
                    user == null ? null : batch.getSet(Keys.members(room), StringCodec.INSTANCE).containsAsync(user),
                    user == null ? null : batch.getScoredSortedSet(Keys.mentions(room, user), StringCodec.INSTANCE)
                            .valueRangeReversedAsync(0, 99),
                    user != null ? null : batch.getMap(Keys.meta(room), StringCodec.INSTANCE).getAsync("change"),
                    user == null ? null : batch.getMap(Keys.threadsUnread(room, user), StringCodec.INSTANCE).sizeAsync()));
        }
        batch.execute();
        Map<String, Head> heads = new LinkedHashMap<>();
        pending.forEach((room, f) -> {
            long lastRead = number(f.get(2));
            int mentions = 0;
            if (f.get(5) != null) {
                for (Object id : (Collection<?>) f.get(5).toCompletableFuture().join()) {
                    if (Long.parseLong((String) id) > lastRead) {
                        mentions++;
                    }
                }
            }
            heads.put(room, new Head(number(f.get(0)), (String) f.get(1).toCompletableFuture().join(), lastRead,
                    f.get(4) == null || Boolean.TRUE.equals(f.get(4).toCompletableFuture().join()), number(f.get(3)), mentions,
                    number(f.get(6)), f.get(7) == null ? 0 : ((Number) f.get(7).toCompletableFuture().join()).intValue()));
        });
        return heads;
    }

    private static long number(RFuture<?> f) {
        Object v = f == null ? null : f.toCompletableFuture().join();
        return v == null ? 0 : Long.parseLong((String) v);
    }

    /**
     * A room as a user sees it from outside: newest id, epoch, how far the user has read, whether the
     * user is a member, the room's membership version, and how many of the newest 100 messages that
     * mention the user are unread (true, 0 and 0 when read without a user); read without a user, the
     * room's newest change number (0 if none); and how many threads the user
     * takes part in have replies they have not read.
     */
    public record Head(long lastId, String epoch, long lastRead, boolean member, long memberVersion, int mentions,
            long change, int threads) {
    }

    public record Page(List<Message> messages, boolean more) {
    }

}
