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
}
