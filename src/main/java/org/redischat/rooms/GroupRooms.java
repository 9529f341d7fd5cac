package org.redischat.rooms;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redischat.accounts.GroupsSeen;
import org.redischat.redis.Keys;
import org.redischat.wire.DirectRoom;
import org.redischat.wire.Event;
import org.redischat.wire.RoomName;
import org.redischat.redis.NodeEvents;

/**
 * Private rooms bound to the provider's groups ({@code auth.oidc.group-rooms}, {@code group=room}
 * pairs): whoever holds the group may join the room (an invitation the server renews with each of
 * their sessions), whoever does not hold it is taken out of it — membership, role and invitation —
 * when a token of theirs is next believed (a sign-in or a renewal). A bound room is private; its
 * bans still hold. Membership is what the group says: a member the group does not name is removed.
 */
@ApplicationScoped
public class GroupRooms {

    private static final Logger LOG = Logger.getLogger(GroupRooms.class.getName());

    @Inject
    @ConfigProperty(name = "auth.oidc.group-rooms")
    Optional<String> bindings;

    @Inject
    Moderation moderation;

    @Inject
    NodeEvents nodeEvents;

    @Inject
    RedissonClient redis;

    /** Group to room, in the configured order. */
    private Map<String, String> rooms;

    @PostConstruct
    void init() {
        rooms = parse(bindings.orElse(""));
    }

    /** {@code group=room} pairs, comma-separated; an entry that is not one is left out and logged. */
    static Map<String, String> parse(String config) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String entry : config.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.lastIndexOf('=');
            String group = eq > 0 ? entry.substring(0, eq).trim() : "";
            Optional<String> room = eq > 0 ? RoomName.normalize(entry.substring(eq + 1).trim()) : Optional.empty();
            if (group.isEmpty() || room.isEmpty() || DirectRoom.parse(room.get()).isPresent()) {
                LOG.severe(() -> "auth.oidc.group-rooms: \"" + entry.trim() + "\" is not group=room (a room name, not a direct room); left out");
                continue;
            }
            out.put(group, room.get());
        }
        return Map.copyOf(out);
    }

    /** The user's token was believed: admitted to the rooms of the groups held, taken out of the others. */
    void seen(@Observes GroupsSeen seen) {
        rooms.forEach((group, room) -> {
            try {
                if (seen.groups().contains(group)) {
                    moderation.admit(room, seen.user(), seen.sessionEnds().toEpochMilli());
                } else {
                    Moderation.Outcome out = moderation.expel(room, seen.user());
                    if (out.changed()) {
                        LOG.info(() -> seen.user() + " no longer holds " + group + ": removed from " + room);
                        nodeEvents.publish(Event.memberRemove(room, seen.user(), "", out.version()));
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "the group room " + room + " of " + seen.user() + " is not up to date; the next renewal tries again", e);
            }
        });
    }

    /** The bound rooms the user may join now (an unexpired invitation of the server) and has not joined. */
    public List<String> joinable(String user) {
        if (rooms.isEmpty()) {
            return List.of();
        }
        RBatch batch = redis.createBatch();
        Map<String, RFuture<Double>> invited = new LinkedHashMap<>();
        Map<String, RFuture<Boolean>> member = new LinkedHashMap<>();
        for (String room : rooms.values()) {
            invited.put(room, batch.<String>getScoredSortedSet(Keys.invites(room), StringCodec.INSTANCE).getScoreAsync(user));
            member.put(room, batch.<String>getSet(Keys.members(room), StringCodec.INSTANCE).containsAsync(user));
        }
        batch.execute();
        long now = Instant.now().toEpochMilli();
        List<String> out = new ArrayList<>();
        invited.forEach((room, score) -> {
            Double until = score.toCompletableFuture().join();
            if (until != null && until > now && !member.get(room).toCompletableFuture().join()) {
                out.add(room);
            }
        });
        return out;
    }
}
