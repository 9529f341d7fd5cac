package org.redischat.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.redischat.redis.TestRedis;

class BudgetsTest {

    private Budgets rate(double perSecond, int burst) {
        Budgets r = new Budgets();
        r.redis = TestRedis.client();
        r.perSecond = perSecond;
        r.burst = burst;
        return r;
    }

    private static int allowed(Budgets r, String user, int tries) {
        int n = 0;
        for (int i = 0; i < tries; i++) {
            if (r.allow(user)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aBurstPassesThenTheRateHolds() throws Exception {
        Budgets r = rate(10, 5);
        String user = TestRedis.unique("u");
        assertEquals(5, allowed(r, user, 20));
        Thread.sleep(350); // about 3 more at 10 per second
        int later = allowed(r, user, 20);
        assertTrue(later >= 2 && later <= 5, "refilled at the rate: " + later);
    }

    @Test
    void usersHaveTheirOwnBudgets() {
        Budgets r = rate(1, 2);
        assertEquals(2, allowed(r, TestRedis.unique("a"), 5));
        assertEquals(2, allowed(r, TestRedis.unique("b"), 5));
    }

    @Test
    void theBudgetIsSharedByEveryNode() {
        String user = TestRedis.unique("shared");
        Budgets nodeA = rate(1, 4);
        Budgets nodeB = rate(1, 4);
        assertEquals(4, allowed(nodeA, user, 2) + allowed(nodeB, user, 2) + allowed(nodeA, user, 3));
    }

    @Test
    void zeroTurnsTheLimitOff() {
        assertEquals(100, allowed(rate(0, 1), TestRedis.unique("free"), 100));
    }

    @Test
    void aSpentBudgetIsRefusedOnTheNodeWithoutAskingRedisUntilItRefills() throws Exception {
        Budgets r = rate(5, 2);
        String user = TestRedis.unique("flood");
        assertEquals(2, allowed(r, user, 10));
        r.redis.getBucket(org.redischat.redis.Keys.sendRate(user)).delete(); // Redis would allow again now
        assertEquals(0, allowed(r, user, 10), "the node remembers the budget is spent for 200 ms");
        Thread.sleep(250);
        assertTrue(allowed(r, user, 10) >= 1, "and asks Redis once it could have refilled");
    }

    @Test
    void aReadIsChargedForTheBytesItAnswered() {
        Budgets r = rate(1, 1);
        r.readsPerSecond = 10;
        r.readBurst = 10;
        String user = TestRedis.unique("reader");
        assertTrue(r.allowRead(user));
        r.chargeRead(user, 9 * Budgets.READ_UNIT_BYTES); // a page of ~288 KiB: nine units more
        assertEquals(false, r.allowRead(user), "the burst of ten is spent by one large answer");
        String other = TestRedis.unique("reader");
        int small = 0;
        for (int i = 0; i < 10; i++) {
            if (r.allowRead(other)) {
                small++;
                r.chargeRead(other, 2_000);
            }
        }
        assertEquals(10, small, "small answers cost nothing more");
    }
}
