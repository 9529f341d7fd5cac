package org.redischat.tyrus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * The patch's own rules; that Payara's Tyrus accepts it is asserted against a running node
 * (ProtocolIT reads the liveness check's data).
 */
class TyrusIdleTimerPatchTest {

    @Test
    void anotherContainerIsLeftAlone() {
        TyrusIdleTimerPatch patch = new TyrusIdleTimerPatch();
        assertEquals(TyrusIdleTimerPatch.State.NOT_TYRUS, patch.install(new Object()));
        assertEquals(TyrusIdleTimerPatch.State.NOT_TYRUS, patch.install(null));
        patch.uninstall(); // nothing to give back
    }

    @Test
    void theSkippingSchedulerDropsTheEmptyReArmsAndRunsRealTimers() throws Exception {
        TyrusIdleTimerPatch.Skipping s = new TyrusIdleTimerPatch.Skipping();
        try {
            AtomicInteger ran = new AtomicInteger();
            CountDownLatch real = new CountDownLatch(1);
            assertTrue(s.schedule((Runnable) ran::incrementAndGet, 0, TimeUnit.SECONDS).isDone(), "a re-arm with no delay is over at once");
            s.schedule(real::countDown, 10, TimeUnit.MILLISECONDS);
            assertTrue(real.await(5, TimeUnit.SECONDS), "a timer with a delay runs");
            assertEquals(0, ran.get(), "the empty re-arm never ran");
        } finally {
            s.shutdownNow();
        }
    }
}
