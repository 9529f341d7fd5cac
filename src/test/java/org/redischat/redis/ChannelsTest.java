package org.redischat.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * What the bus relies on when Redis drops the subscriber's connection (a restart, a failover, CLIENT
 * KILL), on a real Redis: a room subscribed right after the cut fails as a closed connection, which
 * {@link Channels#closedConnection} recognises (the bus then replaces its subscriber client), and
 * never in another way. Only this test's own connections are cut (found by their client name); the
 * shared Redis and its other clients are not touched.
 */
class ChannelsTest {

    @Test
    void aSubscriptionRightAfterTheConnectionWasCutFailsAsAClosedConnection() throws Exception {
        URI address = URI.create(System.getProperty("test.redis.address", "redis://127.0.0.1:6379"));
        String name = TestRedis.unique("channels-test");
        Config base = new Config();
        base.useSingleServer().setAddress(address.toString()).setClientName(name);
        base.setCodec(StringCodec.INSTANCE);
        RedissonClient subscriber = Redisson.create(RedissonProducer.subscriberConfig(base));
        Channels channels = TestRedis.channels();
        List<String> outcomes = new ArrayList<>();
        try {
            Channels.listen(channels.roomTopic(subscriber, TestRedis.unique("channels-test-room")), (ch, m) -> { });
            for (int round = 0; round < 12; round++) {
                int cut = killSubscriptions(address, name);
                String outcome;
                try {
                    Channels.listen(channels.roomTopic(subscriber, TestRedis.unique("channels-test-room")), (ch, m) -> { });
                    outcome = "subscribed";
                } catch (RuntimeException e) {
                    outcome = Channels.closedConnection(e) ? "closed" : e.toString();
                }
                outcomes.add(cut + " cut, " + outcome);
                Thread.sleep(300); // Redisson has a connection again
            }
            System.out.println("subscriptions right after a cut: " + outcomes);
            assertTrue(outcomes.stream().allMatch(o -> o.startsWith("1 cut")), "one connection cut each time: " + outcomes);
            assertEquals(List.of(), outcomes.stream().filter(o -> !o.endsWith("subscribed") && !o.endsWith("closed")).toList(),
                    "a subscription racing the cut either is made or fails as a closed connection");
            assertTrue(outcomes.stream().anyMatch(o -> o.endsWith("closed")), "the race was met: " + outcomes);
        } finally {
            subscriber.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    /** Cuts the pub/sub connections named {@code name}; returns how many. */
    private static int killSubscriptions(URI redis, String name) throws IOException {
        int n = 0;
        for (String line : RawRedis.command(redis, "CLIENT", "LIST", "TYPE", "pubsub").split("\n")) {
            if (line.contains(" name=" + name + " ")) {
                String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
                n += RawRedis.command(redis, "CLIENT", "KILL", "ID", id).equals(":1") ? 1 : 0;
            }
        }
        return n;
    }
}
