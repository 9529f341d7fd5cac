package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redischat.it.Frames.join;
import static org.redischat.it.Frames.send;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis killed with SIGKILL and restarted on its append-only file while a room is busy: nothing
 * acked is lost, nothing is acked falsely, sockets stay open, and delivery resumes by itself.
 * A node of its own on a Redis of its own: the shared Redis is never touched.
 */
class RedisOutageIT {

    private static PrivateRedis redis;
    private static SecondNode node;

    @BeforeAll
    static void start() throws Exception {
        redis = PrivateRedis.start();
        node = SecondNode.start(Integer.getInteger("it.port4", 18083), redis.address());
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void ackedMessagesSurviveAndDeliveryResumesAfterRedisIsKilled() throws Exception {
        String room = Api.newName("outage");
        try (ChatClient a = ChatClient.connect(node.base, Api.signUp(node.base, Api.newName("ann")));
                ChatClient b = ChatClient.connect(node.base, Api.signUp(node.base, Api.newName("bea")))) {
            a.request(join(room), "joined");
            b.request(join(room), "joined");
            List<Long> acked = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                acked.add(a.request(send(room, "before " + i, "b" + i), "ack").getJsonNumber("id").longValue());
            }

            redis.kill();
            JsonObject refused = a.request(send(room, "while Redis is away", "away"), "ack", Duration.ofSeconds(30));
            assertEquals("error", refused.getString("type"), "no ack without Redis: " + refused);
            assertEquals("internal", refused.getString("code"));
            assertEquals("away", refused.getString("ref"));
            assertFalse(a.closed.isDone(), "the socket stays open");

            redis.restart();
            long resumedAfter = System.nanoTime();
            JsonObject ack = null;
            while (ack == null && System.nanoTime() - resumedAfter < 60_000_000_000L) {
                JsonObject r = a.request(send(room, "while Redis is away", "away"), "ack", Duration.ofSeconds(30));
                if ("ack".equals(r.getString("type"))) {
                    ack = r;
                } else {
                    Thread.sleep(500);
                }
            }
            assertTrue(ack != null, "sends resume by themselves");
            acked.add(ack.getJsonNumber("id").longValue());
            for (int i = 0; i < 10; i++) {
                acked.add(a.request(send(room, "after " + i, "a" + i), "ack").getJsonNumber("id").longValue());
            }
            System.out.println("outage: sends resumed " + (System.nanoTime() - resumedAfter) / 1_000_000 + " ms after Redis came back");

            // the other member's socket gets every acked message, in id order, once
            List<Long> got = new ArrayList<>();
            while (!got.containsAll(acked)) {
                got.add(b.await(f -> "message".equals(f.getString("type")), Duration.ofSeconds(45))
                        .getJsonNumber("id").longValue());
            }
            for (int i = 0; i < got.size(); i++) {
                assertEquals(i + 1, got.get(i), "in order, no gap, no duplicate: " + got);
            }
            assertEquals(new TreeSet<>(acked).size(), acked.size(), "every ack names its own message");
            assertEquals(21, acked.size());

            // and a client that comes back later finds all of it in the history
            JsonObject h = b.request(Frames.of("type", "history", "room", room, "limit", 200), "history");
            assertEquals(acked.size(), h.getJsonArray("messages").size());
        }
    }
}
