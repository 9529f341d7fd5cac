package org.redischat.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RBatch;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * The bus's subscriber, on a real Redis: a listener that waits holds the subscription's reads (Redis
 * keeps what follows in its output buffer for this client, bounded by its pubsub limit), and every
 * event arrives afterwards, in order, on one thread.
 */
class SubscriberConfigTest {

    private static final int EVENTS = 10_000;

    @Test
    void aWaitingListenerStopsTheReadsAndLosesNothing() throws Exception {
        String address = System.getProperty("test.redis.address", "redis://127.0.0.1:6379");
        Config base = new Config();
        base.useSingleServer().setAddress(address);
        base.setCodec(StringCodec.INSTANCE);
        RedissonClient subscriber = Redisson.create(RedissonProducer.subscriberConfig(base));
        String channel = TestRedis.unique("subscriber-test");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch all = new CountDownLatch(EVENTS);
        List<String> got = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        try {
            RTopic topic = subscriber.getTopic(channel, StringCodec.INSTANCE);
            topic.addListener(String.class, (ch, msg) -> {
                if (got.isEmpty()) {
                    await(release); // the fan-out queue is full: the listener waits for room
                }
                got.add(msg);
                threads.add(Thread.currentThread().getName());
                all.countDown();
            });
            String padding = "x".repeat(2000);
            RBatch batch = TestRedis.client().createBatch(); // one connection, so Redis gets them in this order
            for (int i = 0; i < EVENTS; i++) {
                batch.getTopic(channel, StringCodec.INSTANCE).publishAsync(i + " " + padding);
            }
            batch.execute();
            Thread.sleep(2000); // a subscriber that went on reading would have emptied Redis's buffer by now
            long held = leastOutputBuffer(URI.create(address), 1000);
            assertTrue(held >= 4_000_000, "Redis still holds the events the waiting subscriber did not read: " + held + " bytes");
            release.countDown();
            assertTrue(all.await(30, TimeUnit.SECONDS), "all events arrive once the listener goes on: " + got.size());
            for (int i = 0; i < EVENTS; i++) {
                assertEquals(i + " " + padding, got.get(i), "event " + i + " in order");
            }
            assertEquals(1, threads.stream().distinct().count(), "one connection's events on one I/O thread: " + threads.stream().distinct().toList());
            assertTrue(threads.get(0).startsWith("redisson-netty"), "on the I/O thread that read them: " + threads.get(0));
        } finally {
            release.countDown();
            subscriber.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    /**
     * A listener that waits for room holds the I/O thread for as long as the fan-out needs; Redisson's
     * PING could not be answered meanwhile, and it would close the connection (with a fan-out queue of
     * 20, `benchmarks.sh bus-overload` saw it, and joins that raced the reconnection failed).
     */
    @Test
    void theSubscriberLeavesLivenessToTheProbes() {
        Config base = new Config();
        base.useSingleServer().setAddress("redis://127.0.0.1:6379");
        base.setCodec(StringCodec.INSTANCE); // as the application's client has it
        assertEquals(0, RedissonProducer.subscriberConfig(base).useSingleServer().getPingConnectionInterval());
        Config cluster = new Config();
        cluster.useClusterServers().addNodeAddress("redis://127.0.0.1:7000");
        cluster.setCodec(StringCodec.INSTANCE);
        assertEquals(0, RedissonProducer.subscriberConfig(cluster).useClusterServers().getPingConnectionInterval());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The least, over {@code millis}, of the largest output buffer Redis holds for a subscriber connection. */
    private static long leastOutputBuffer(URI redis, long millis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        long least = Long.MAX_VALUE;
        do {
            least = Math.min(least, subscriberOutputBuffer(redis));
            Thread.sleep(100);
        } while (System.currentTimeMillis() < deadline);
        return least;
    }

    private static long subscriberOutputBuffer(URI redis) throws IOException {
        long most = 0;
        for (String line : RawRedis.command(redis, "CLIENT", "LIST", "TYPE", "pubsub").split("\n")) {
            for (String field : line.trim().split(" ")) {
                if (field.startsWith("omem=")) {
                    most = Math.max(most, Long.parseLong(field.substring(5)));
                }
            }
        }
        return most;
    }
}
