package org.redischat.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.redischat.redis.TestRedis;

/** The sign-in budgets, against a real Redis (the address budget at ten a second after 200, not its default). */
class LoginRateTest {

    private final LoginRate rate = new LoginRate();

    LoginRateTest() {
        rate.redis = TestRedis.client();
        rate.perUserPerMinute = 10;
        rate.perUserBurst = 10;
        rate.perAddressPerSecond = 10;
        rate.perAddressBurst = 200;
    }

    @Test
    void failedSignInsSlowTheirClientAtThatUsernameNotTheOwnerElsewhere() {
        String name = TestRedis.unique("victim");
        String guesser = TestRedis.unique("203.0.113.");
        for (int i = 0; i < 10; i++) {
            assertEquals(0, rate.failureWait(name, guesser), "attempt " + (i + 1) + " of the burst");
            rate.failed(name, guesser);
        }
        long wait = rate.failureWait(name, guesser);
        assertTrue(wait > 5000 && wait <= 6000, "one failure every 6 s after the burst: " + wait + " ms");
        assertEquals(0, rate.failureWait(name, TestRedis.unique("198.51.100.")), "the owner, signing in from elsewhere");
        assertEquals(0, rate.failureWait(TestRedis.unique("other"), guesser), "another username from the same client");
    }

    @Test
    void lookingAtTheBudgetTakesNothingFromIt() {
        String name = TestRedis.unique("owner");
        String client = TestRedis.unique("192.0.2.");
        for (int i = 0; i < 50; i++) {
            assertEquals(0, rate.failureWait(name, client), "successful sign-ins cost nothing");
        }
    }

    @Test
    void anAddressGetsItsBurstOfQuickAttemptsThenItsRate() {
        String address = TestRedis.unique("10.0.0.");
        long start = System.nanoTime();
        int allowed = 0;
        long wait = 0;
        while (allowed < 1000 && (wait = rate.addressWait(address)) == 0) {
            allowed++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(allowed >= 200 && allowed <= 200 + Math.ceil(seconds * 10) + 1,
                allowed + " allowed in " + seconds + " s: the burst, then ten a second");
        assertTrue(wait > 0 && wait <= 100, wait + " ms");
    }

    @Test
    void aRateOfZeroTurnsTheThrottleOff() {
        rate.perAddressPerSecond = 0;
        String address = TestRedis.unique("10.0.0.");
        for (int i = 0; i < 500; i++) {
            assertEquals(0, rate.addressWait(address));
        }
    }
}
