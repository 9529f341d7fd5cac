package org.redischat.history;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redischat.redis.Keys;
import org.redischat.redis.ScriptReply;
import org.redischat.redis.LuaScript;
import org.redischat.wire.Message;
import org.redisson.api.RedissonClient;

/**
 * Threads: reading the replies to a message. Replies are stored by
 * {@link MessageLog#replyAsync} as messages of the room; this reads a thread's page in one step, which
 * also marks the thread read for its reader.
 */
@ApplicationScoped
public class Threads {

    private static final LuaScript READ = LuaScript.load(Threads.class, "thread.lua", "fields.lua");

    @Inject
    RedissonClient redis;

    /**
     * A thread's root as it is now, a page of its replies (ascending), whether more follow, and whether
     * the thread had replies unread for the reader (now read).
     */
    public record Page(Message root, List<Message> replies, boolean more, boolean wasUnread) {
    }

    /** No such message in the room (never, or no longer kept). */
    public static final class NotFoundException extends RuntimeException {
        NotFoundException() {
            super(null, null, false, false);
        }
    }

    /** The replies to {@code root} after reply {@code after} (0: from the first), at most {@code limit}, for a member. */
    public Page read(String room, String user, long root, long after, int limit) {
        ScriptReply r = ScriptReply.of(READ.run(redis, List.of(Keys.log(room), Keys.members(room), Keys.thread(room, root),
                Keys.threadsUnread(room, user)), user, String.valueOf(root), String.valueOf(after), String.valueOf(limit)));
        if ("not_member".equals(r.error())) {
            throw new MessageLog.NotMemberException();
        }
        if ("not_found".equals(r.error())) {
            throw new NotFoundException();
        }
        List<Message> replies = r.list("replies").stream().map(Message::parse).toList();
        return new Page(Message.parse(r.text("root")), replies, r.flag("more"), r.flag("unread"));
    }
}
