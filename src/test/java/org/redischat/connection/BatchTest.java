package org.redischat.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class BatchTest {

    @Test
    void aThreadWithABatchPumpsItsSocketsAtTheFlushAndOthersAtOnce() throws Exception {
        FakeSession fake = new FakeSession();
        Outbox o = new Outbox(fake.session, new Outbox.Limits(1 << 20, 1 << 20, false), x -> { });
        assertFalse(CompletableFuture.supplyAsync(() -> Batch.putOff(o)).get(), "no batch on that thread: pump now");
        var fanout = java.util.concurrent.Executors.newSingleThreadExecutor();
        CompletableFuture.runAsync(() -> {
            Batch.open();
            o.enqueue("one");
            assertTrue(Batch.putOff(o));
            o.enqueue("two");
            assertTrue(Batch.putOff(o), "once per flush, however many frames");
            assertEquals(0, fake.sent.size(), "nothing written before the flush");
            Batch.flush();
        }, fanout).get(); // an assertion failed there fails here
        fanout.shutdown();
        assertEquals(java.util.List.of("one", "two"), fake.sent);
    }
}
