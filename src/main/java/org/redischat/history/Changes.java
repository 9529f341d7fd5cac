package org.redischat.history;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.redis.Channels;
import org.redischat.redis.Keys;
import org.redischat.redis.ScriptReply;
import org.redischat.redis.LuaScript;
import org.redischat.wire.Envelope;
import org.redischat.wire.Mentions;
import org.redischat.wire.Message;
import org.redisson.api.RBatch;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Changes to stored messages: edits, deletes and reactions, each one script that checks
 * the rights, rewrites the message in the room's log, gives it the room's next change number and
 * publishes its new state on the room's channel; and the read of what changed after a change number,
 * with which a client that was away catches up on changes as it does on messages.
 */
@ApplicationScoped
public class Changes {

    private static final LuaScript CHANGE = LuaScript.load(Changes.class, "change.lua", "/org/redischat/wire/rights.json", "ranks.lua");
    private static final LuaScript READ = LuaScript.load(Changes.class, "changes.lua", "fields.lua");

    @Inject
    RedissonClient redis;

    @Inject
    Channels channels;

    @Inject
    @ConfigProperty(name = "chat.history.retention", defaultValue = "10000")
    int retention;

    /** The most different emoji one message may carry. */
    @Inject
    @ConfigProperty(name = "chat.reactions.max-per-message", defaultValue = "20")
    int maxEmoji = 20;

    /** Most bytes of messages in one {@code changes} answer, as for {@code history}. */
    @Inject
    @ConfigProperty(name = "chat.answer.max-bytes", defaultValue = "262144")
    long answerBytes = 262_144;

    public int maxEmoji() {
        return maxEmoji;
    }

    /** What a change is: edit, delete, or toggling a reaction. */
    public enum Action {
        EDIT, DELETE, REACT
    }

    /** Why a change was refused. */
    public enum Refusal {
        /** The actor is not a member of the room. */
        NOT_MEMBER,
        /** No such message in the room's history (never, trimmed away, or deleted: edit and react). */
        NOT_FOUND,
        /** Not the author (edit), not the author nor a moderator or the owner (delete). */
        FORBIDDEN,
        /** A new emoji on a message that has the most it may. */
        TOO_MANY
    }

    public static final class RefusedException extends RuntimeException {
        private final Refusal refusal;

        RefusedException(Refusal refusal) {
            super(refusal.name(), null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    /** Done: whether the message changed, and for a reaction whether the user's reaction is now on. */
    public record Outcome(boolean changed, boolean on) {
    }

    /**
     * A page of changed messages, in the order of their latest change; every change up to {@code upTo}
     * is in it (ask again after {@code upTo} when {@code more}).
     */
    public record Page(List<Message> messages, long upTo, boolean more) {
    }

    /**
     * Changes message {@code id} of the room: {@code value} is the new text (edit) or the emoji
     * (react), unused for a delete; {@code admin}: the actor is a server administrator (a delete needs
     * no membership and outranks every author).
     *
     * @throws RefusedException when the rights or the message's state refuse it; nothing changed
     */
    public Outcome change(Action action, String room, String actor, long id, String value, boolean admin) {
        // an edit's names count as mentions for the members among them, as a send's do
        List<String> named = action == Action.EDIT ? Mentions.in(value, actor) : List.of();
        List<Object> keys = new ArrayList<>(List.of(Keys.log(room), Keys.members(room), Keys.roles(room),
                Keys.changes(room), Keys.meta(room)));
        List<Object> args = new ArrayList<>(List.of(action.name().toLowerCase(java.util.Locale.ROOT), actor,
                String.valueOf(id), value == null ? "" : value, String.valueOf(System.currentTimeMillis()),
                Keys.channel(room), channels.publishCommand(), Envelope.changedHead(room), String.valueOf(maxEmoji),
                String.valueOf(retention), admin ? "1" : "0", String.valueOf(named.size())));
        for (String user : named) {
            keys.add(Keys.mentions(room, user));
            args.add(user);
        }
        ScriptReply r = ScriptReply.of(CHANGE.run(redis, keys, args.toArray()));
        if (r.error() != null) {
            throw new RefusedException(switch (r.error()) {
                case "not_member" -> Refusal.NOT_MEMBER;
                case "not_found" -> Refusal.NOT_FOUND;
                case "too_many" -> Refusal.TOO_MANY;
                default -> Refusal.FORBIDDEN;
            });
        }
        if (r.text("previous") != null) {
            forgetMentions(room, id, r.text("previous"), named);
        }
        return new Outcome(r.flag("changed"), r.flag("on"));
    }

    /**
     * A changed message stops counting as a mention for the names its previous text had and its new
     * text has not (all of them when deleted): a step after the change, so for a moment after it a
     * {@code welcome} may still count it.
     */
    private void forgetMentions(String room, long id, String previous, List<String> kept) {
        List<String> gone = new ArrayList<>(Mentions.in(previous, null));
        gone.removeAll(kept);
        if (gone.isEmpty()) {
            return;
        }
        RBatch batch = redis.createBatch();
        for (String user : gone) {
            batch.getScoredSortedSet(Keys.mentions(room, user), StringCodec.INSTANCE).removeAsync(String.valueOf(id));
        }
        batch.execute();
    }

    /**
     * Up to {@code limit} messages changed after change number {@code after}, as they are now; the
     * page is complete up to its {@code upTo} change number (the room's newest unless {@code more}).
     */
    public Page after(String room, long after, int limit) {
        ScriptReply r = ScriptReply.of(READ.run(redis, List.of(Keys.log(room), Keys.changes(room), Keys.meta(room)),
                String.valueOf(after), String.valueOf(limit), String.valueOf(answerBytes)));
        List<Message> messages = r.list("messages").stream().map(Message::parse).toList();
        if (r.flag("more")) {
            return new Page(messages, r.number("cut") - 1, true);
        }
        return new Page(messages, r.number("newest"), false);
    }
}
