package org.redischat.fanout;

import java.util.List;

import org.redischat.history.Message;

/**
 * What travels on the bus between nodes. {@code kind} is {@code message} (published by the append
 * script), {@code member_add}, {@code member_remove}, {@code typing}, {@code read}, {@code presence} or {@code revoke}; {@code origin} names the
 * socket that caused a {@code member_remove}, {@code token} the hash of a revoked token.
 */
public record Event(String kind, String room, String user, String origin, String epoch, Message message, String token,
        Long id, Boolean online, List<String> rooms) {

    public static Event memberAdd(String room, String user) {
        return new Event("member_add", room, user, null, null, null, null, null, null, null);
    }

    public static Event memberRemove(String room, String user, String origin) {
        return new Event("member_remove", room, user, origin, null, null, null, null, null, null);
    }

    public static Event revoke(String tokenHash) {
        return new Event("revoke", null, null, null, null, null, tokenHash, null, null, null);
    }

    /** The user came online or went offline; told to the other members of each of these rooms. */
    public static Event presence(String user, boolean online, List<String> rooms) {
        return new Event("presence", null, user, null, null, null, null, null, online, rooms);
    }

    public static Event typing(String room, String user) {
        return new Event("typing", room, user, null, null, null, null, null, null, null);
    }

    /** The user's read mark moved to {@code id}; {@code origin} is the socket that moved it. */
    public static Event read(String room, String user, String origin, long id) {
        return new Event("read", room, user, origin, null, null, null, id, null, null);
    }
}
