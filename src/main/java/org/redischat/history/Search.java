package org.redischat.history;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.redis.Keys;
import org.redischat.redis.ScriptReply;
import org.redischat.redis.LuaScript;
import org.redischat.wire.Message;
import org.redischat.wire.SearchCursor;
import org.redisson.api.RedissonClient;

/**
 * Search of the retained messages by scanning them, with no index to keep: each
 * {@code search.lua} call scans at most {@code chat.search.step} messages of one room (so it holds
 * Redis for a bounded time), and one request scans at most {@code chat.search.max-scanned}; a search
 * that has not looked at everything answers a cursor to go on from. The log holds each message as it
 * is now, and the script checks membership, so a search finds nothing a user may not read: no room they
 * are not in, no deleted message, no text from before an edit.
 */
@ApplicationScoped
public class Search {

    private static final LuaScript SEARCH = LuaScript.load(Search.class, "search.lua", "fields.lua");

    @Inject
    RedissonClient redis;

    /** Messages one script call scans at most. */
    @Inject
    @ConfigProperty(name = "chat.search.step", defaultValue = "1000")
    int step = 1000;

    /** Messages one search request scans at most, over all its rooms. */
    @Inject
    @ConfigProperty(name = "chat.search.max-scanned", defaultValue = "20000")
    int maxScanned = 20_000;

    /**
     * What to find: every word in the text (lower case in ASCII), by an author (null: anyone), from
     * {@code start} to {@code end} (ms, inclusive; null: unbounded), at most {@code limit} messages.
     */
    public record Query(List<String> words, String from, Long start, Long end, int limit) {
    }

    /** Found messages (each room's newest first, rooms in the order given), where to go on (null: all was searched), and how many messages were scanned at most. */
    public record Found(List<Message> messages, SearchCursor next, int scanned) {
    }

    /** A room named alone that the user is not a member of. */
    public static final class NotMemberException extends RuntimeException {
        NotMemberException() {
            super(null, null, false, false);
        }
    }

    /**
     * Searches the rooms, in their order, from the cursor (null: from the first room's newest). A room
     * the user is not a member of is passed over, unless it is the only one: {@link NotMemberException}.
     */
    public Found in(String user, List<String> rooms, Query q, SearchCursor from) {
        List<Message> found = new ArrayList<>();
        int scanned = 0;
        int first = 0;
        if (from != null) {
            while (first < rooms.size() && rooms.get(first).compareTo(from.room()) < 0) {
                first++;
            }
        }
        for (int r = first; r < rooms.size(); r++) {
            String room = rooms.get(r);
            Long below = from != null && room.equals(from.room()) ? from.below() : null;
            while (true) {
                if (scanned >= maxScanned) {
                    return new Found(found, new SearchCursor(room, below), scanned);
                }
                int n = Math.min(step, maxScanned - scanned);
                List<Object> args = new ArrayList<>(List.of(user, below == null ? "+inf" : below.toString(), String.valueOf(n),
                        String.valueOf(q.limit() - found.size()), q.from() == null ? "" : q.from(),
                        q.start() == null ? "" : q.start().toString(), q.end() == null ? "" : q.end().toString()));
                args.addAll(q.words());
                ScriptReply answer = ScriptReply.of(SEARCH.run(redis, List.of(Keys.log(room), Keys.members(room)), args.toArray()));
                if ("not_member".equals(answer.error())) {
                    if (rooms.size() == 1) {
                        throw new NotMemberException();
                    }
                    break;
                }
                scanned += n;
                for (String m : answer.list("found")) {
                    found.add(Message.parse(m));
                }
                long next = answer.number("next");
                if (found.size() >= q.limit()) {
                    if (next > 0) {
                        return new Found(found, new SearchCursor(room, next), scanned);
                    }
                    return new Found(found, r + 1 < rooms.size() ? new SearchCursor(rooms.get(r + 1), null) : null, scanned);
                }
                if (next == 0) {
                    break;
                }
                below = next;
            }
        }
        return new Found(found, null, scanned);
    }

}
