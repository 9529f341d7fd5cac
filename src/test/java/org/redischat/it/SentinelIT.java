package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redischat.it.Frames.join;
import static org.redischat.it.Frames.send;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Payara Micro nodes on Redis with Sentinel (a master, one replica, three sentinels): the master
 * is killed while messages flow; the nodes follow the master the sentinels elect, subscribe again,
 * lose nothing that was acked (an ack waits for a replica by default under Sentinel), and go on
 * acking once the promoted replica, which has no replica of its own, takes the writes.
 */
class SentinelIT {

    private static RedisSentinel redis;
    private static PayaraMicroNode one;
    private static PayaraMicroNode two;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisSentinel.start();
        String yaml = "-Dredis.config-file=" + redis.redissonYaml();
        one = PayaraMicroNode.start(Integer.getInteger("it.port4", 18083), "unused", yaml);
        two = PayaraMicroNode.start(Integer.getInteger("it.port5", 18084), "unused", yaml);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {one, two, redis}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void theMasterKilledWhileMessagesFlowLosesNoAckedMessage() throws Exception {
        int master = redis.master();
        FailoverStream.Outcome outcome = FailoverStream.run(one.base, two.base, 120, () -> redis.kill(master));
        System.out.println("SentinelIT failover: " + outcome);
        assertEquals(0, outcome.lost(), "acked messages lost in the failover: " + outcome);
        // one replica: once promoted it has none, and the chat goes on taking messages (counted)
        assertTrue(outcome.ackedAgainMs() < 30_000, "sends acked again soon after the failover: " + outcome);
        assertTrue(AbuseIT.gauge(one, "chat_acks_unreplicated_total") > 0, "acks made without a replica are counted");
        assertNotEquals(master, redis.awaitMaster(-1, 30), "a replica was promoted");

        // after the failover both nodes chat as before, on the new master
        String room = Api.newName("after");
        try (ChatClient a = ChatClient.connect(one.base, Api.signUp(one.base, Api.newName("amy")));
                ChatClient b = ChatClient.connect(two.base, Api.signUp(two.base, Api.newName("ben")))) {
            a.joined(join(room));
            b.joined(join(room));
            assertEquals(1, b.request(send(room, "still here", "s1"), "ack").getInt("id"));
            assertEquals("still here", a.awaitType("message").getString("text"));
        }
    }
}
