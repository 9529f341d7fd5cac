package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redischat.history.MessageLog;
import org.redischat.members.Members;
import org.redischat.members.Presence;
import org.redischat.redis.Keys;
import org.redischat.wire.Message;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * Inside the container: the server's own beans, injected into the test as the application gets
 * them, against the real Redis. Runs on Payara Micro with the other integration tests, and again on
 * WildFly (the failsafe execution {@code wildfly-in-container}, Arquillian container {@code wildfly}).
 */
@ExtendWith(ArquillianExtension.class)
class BeansIT {

    @Deployment
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @Inject
    MessageLog log;

    @Inject
    Members members;

    @Inject
    Presence presence;

    @Inject
    RedissonClient redis;

    private static String room() {
        return "beans-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void appendedMessagesAreInTheRoomsSortedSetInOrderAndAResendIsNotStoredTwice() {
        String room = room();
        assertTrue(members.add(room, "amy").changed());
        long now = System.currentTimeMillis();
        MessageLog.Appended first = log.append(room, "amy", "one", "r1", now);
        MessageLog.Appended second = log.append(room, "amy", "two", "r2", now);
        assertEquals(first.id() + 1, second.id());
        assertEquals(first.epoch(), second.epoch());
        assertEquals(2, redis.getScoredSortedSet(Keys.log(room), StringCodec.INSTANCE).size(), "in Redis");
        assertEquals(List.of("one", "two"), log.range(room, first.id(), second.id()).stream().map(Message::text).toList());

        MessageLog.Appended again = log.append(room, "amy", "one, resent", "r1", now);
        assertTrue(again.duplicate());
        assertEquals(first.id(), again.id());
        assertEquals(2, redis.getScoredSortedSet(Keys.log(room), StringCodec.INSTANCE).size(), "not stored twice");
    }

    @Test
    void membershipChangesRaiseTheRoomsVersionAndAreReadBackAsTheyAre() {
        String room = room();
        Members.Change added = members.add(room, "bob");
        assertTrue(added.changed());
        assertFalse(members.add(room, "bob").changed(), "a second join adds nothing");
        assertTrue(members.isMember(room, "bob"));
        Members.Change removed = members.remove(room, "bob", "socket-1");
        assertTrue(removed.version() > added.version());
        Members.Now now = members.now(room, "bob");
        assertFalse(now.member());
        assertEquals(removed.version(), now.version());
        assertTrue(redis.getSet(Keys.members(room), StringCodec.INSTANCE).isEmpty(), "in Redis");
    }

    @Test
    void aUserOfANodeThatStoppedBeatingGoesOfflineWhenThisNodeSweepsIt() throws InterruptedException {
        String dead = "beans-dead-" + UUID.randomUUID();
        String user = "ghost-" + UUID.randomUUID().toString().substring(0, 8);
        assertFalse(presence.isOnline(user), "no socket anywhere: offline");
        // a node that beat once, a minute ago, and listed the user as online there
        redis.getScoredSortedSet(Keys.NODES, StringCodec.INSTANCE).add(System.currentTimeMillis() - 60_000, dead);
        redis.getSet(Keys.nodeUsers(dead), StringCodec.INSTANCE).add(user);
        redis.getSet(Keys.onlineNodes(user), StringCodec.INSTANCE).add(dead);
        assertTrue(presence.isOnline(user), "listed by a node: online");
        // this node's heartbeat (every 5 s) sweeps nodes silent for 15 s
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (presence.isOnline(user) && System.nanoTime() < until) {
            Thread.sleep(200);
        }
        assertFalse(presence.isOnline(user), "swept within one heartbeat");
        assertFalse(redis.getKeys().countExists(Keys.nodeUsers(dead)) > 0, "the dead node's list is gone");
    }
}
