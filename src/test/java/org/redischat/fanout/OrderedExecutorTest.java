package org.redischat.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The fan-out thread's queue is bounded: a caller that finds it full waits, and nothing is lost or reordered. */
class OrderedExecutorTest {

    @Test
    void aFullQueueMakesTheCallerWaitAndEveryTaskRunsInOrder() throws Exception {
        ThreadPoolExecutor executor = OrderedExecutor.singleThread("test-fanout", 2);
        try {
            CountDownLatch release = new CountDownLatch(1);
            List<Integer> ran = new CopyOnWriteArrayList<>();
            executor.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ran.add(0);
            });
            executor.execute(() -> ran.add(1));
            executor.execute(() -> ran.add(2)); // the queue (2) is full now
            Thread caller = new Thread(() -> executor.execute(() -> ran.add(3)));
            caller.start();
            for (int i = 0; i < 500 && caller.getState() != Thread.State.WAITING; i++) {
                Thread.sleep(2);
            }
            assertEquals(Thread.State.WAITING, caller.getState(), "the caller waits for room");
            release.countDown();
            caller.join(5000);
            executor.shutdown();
            assertTrue(executor.awaitTermination(5, TimeUnit.SECONDS));
            assertEquals(List.of(0, 1, 2, 3), ran);
        } finally {
            executor.shutdownNow();
        }
    }
}
