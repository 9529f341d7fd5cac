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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

/**
 * Redis killed with SIGKILL and restarted on its append-only file while a room is busy: nothing
 * acked is lost, nothing is acked falsely, sockets stay open, and delivery resumes by itself.
 * A node of its own on a Redis of its own: the shared Redis is never touched.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
    @Order(1)
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
            Api.Reply signUp = Api.post(node.base, "api/users", Api.credentials(Api.newName("late"), "password-1"));
            assertEquals(503, signUp.status(), signUp.body());
            assertEquals("internal", signUp.json().getString("error"), "the protocol's error body, no stack trace");

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

    @Test
    @Order(2)
    void messagesFlowInOrderWhileTheSubscribersAreKilledAgainAndAgain() throws Exception {
        String room = Api.newName("pubsub");
        try (ChatClient a = ChatClient.connect(node.base, Api.signUp(node.base, Api.newName("sid")));
                ChatClient b = ChatClient.connect(node.base, Api.signUp(node.base, Api.newName("tia")))) {
            a.request(join(room), "joined");
            b.request(join(room), "joined");
            var killer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            List<String> kills = new java.util.concurrent.CopyOnWriteArrayList<>();
            killer.scheduleAtFixedRate(() -> {
                try {
                    kills.add(redis.command("CLIENT", "KILL", "TYPE", "pubsub"));
                } catch (Exception e) {
                    kills.add(e.toString());
                }
            }, 200, 400, java.util.concurrent.TimeUnit.MILLISECONDS);
            List<Long> acked = new ArrayList<>();
            try {
                for (int i = 0; i < 60; i++) {
                    acked.add(a.request(send(room, "m" + i, "p" + i), "ack").getJsonNumber("id").longValue());
                    Thread.sleep(60);
                }
            } finally {
                killer.shutdownNow();
            }
            System.out.println("pubsub kills while sending: " + kills);
            assertTrue(kills.stream().anyMatch(k -> k.matches(":[1-9][0-9]*")), "subscribers were killed: " + kills);
            List<Long> got = new ArrayList<>();
            while (got.size() < acked.size()) {
                got.add(b.await(f -> "message".equals(f.getString("type")), Duration.ofSeconds(45))
                        .getJsonNumber("id").longValue());
            }
            assertEquals(acked, got, "every acked message, once, in id order");
        }
    }

    /** Last: it empties Redis. */
    @Test
    @Order(3)
    void aRedisRestartedEmptyClosesTheRoomsSocketsAndOldEpochsAreNotRecovered() throws Exception {
        String room = Api.newName("lost");
        String name = Api.newName("uma");
        String epoch;
        long last;
        try (ChatClient a = ChatClient.connect(node.base, Api.signUp(node.base, name))) {
            epoch = a.request(join(room), "joined").getString("epoch");
            for (int i = 0; i < 3; i++) {
                a.request(send(room, "m" + i, "l" + i), "ack");
            }
            last = 3;
            long wiped = System.nanoTime();
            redis.wipe();
            assertEquals(1012, a.closed.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join());
            long seconds = (System.nanoTime() - wiped) / 1_000_000_000L;
            System.out.println("history lost: socket closed with 1012 after " + seconds + " s");
            assertTrue(seconds <= 20, "closed within 20 s, was " + seconds);
        }
        // accounts were lost too: sign up again, then the old epoch is not recovered
        try (ChatClient again = ChatClient.connect(node.base, Api.signUp(node.base, name))) {
            JsonObject joined = again.request(Frames.of("type", "join", "room", room, "since", last, "epoch", epoch), "joined");
            assertFalse(joined.getBoolean("recovered"));
            assertTrue(!epoch.equals(joined.getString("epoch")), "a new epoch");
            assertEquals(0, joined.getJsonArray("messages").size());
            assertEquals(1, again.request(send(room, "first of the new epoch", "n1"), "ack").getInt("id"));
        }
    }
}
