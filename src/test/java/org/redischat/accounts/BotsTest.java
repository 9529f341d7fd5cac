package org.redischat.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.redischat.redis.TestRedis;

/** Bots' accounts and tokens (protocol 1.9) against a real Redis. */
class BotsTest {

    private final Tokens tokens = new Tokens();
    private final Accounts accounts = new Accounts();

    BotsTest() {
        tokens.redis = TestRedis.client();
        tokens.ttlHours = 1;
        tokens.providerAccounts = new ProviderAccounts();
        tokens.providerAccounts.redis = TestRedis.client();
        tokens.providerAccounts.provider = org.redischat.sso.IssuerServer.off();
        accounts.redis = TestRedis.client();
        accounts.iterations = 1000;
        accounts.init();
    }

    private Bots node() {
        Bots bots = new Bots();
        bots.redis = TestRedis.client();
        bots.tokens = tokens;
        bots.nodeEvents = org.redischat.redis.NodeEvents.on(TestRedis.channels());
        return bots;
    }

    @Test
    void aBotsNameIsNoPersonsAndNoPasswordOpensIt() {
        Bots bots = node();
        String person = TestRedis.unique("ivan");
        assertTrue(accounts.register(person, "password-1"));
        assertFalse(bots.make(person), "a person's name");
        assertFalse(bots.is(person));
        assertNull(bots.issue(person, Duration.ofDays(1)), "no token for a person's name");

        String bot = TestRedis.unique("ci-bot");
        assertTrue(bots.make(bot));
        assertTrue(bots.make(bot), "made again: still the bot's");
        assertTrue(bots.is(bot));
        assertFalse(accounts.register(bot, "password-1"), "no one registers a bot's name");
        assertFalse(accounts.verify(bot, "bot"), "nor signs in to it");
    }

    @Test
    void aUserMakesABoundedNumberOfNewBotsNamesThroughWebhooks() {
        Bots bots = node();
        bots.maxMadePerUser = 2;
        String olga = TestRedis.unique("olga");
        String other = TestRedis.unique("pavel");
        String one = TestRedis.unique("a-bot");
        String two = TestRedis.unique("b-bot");
        String theirs = TestRedis.unique("c-bot");
        assertEquals(Bots.Made.MADE, bots.makeFor(theirs, other, false));
        assertEquals(Bots.Made.MADE, bots.makeFor(one, olga, false));
        assertEquals(Bots.Made.MADE, bots.makeFor(two, olga, false));
        assertEquals(Bots.Made.MADE, bots.makeFor(one, olga, false), "one of hers again");
        assertEquals(Bots.Made.MADE, bots.makeFor(theirs, olga, false), "a name already a bot's is not counted");
        String third = TestRedis.unique("d-bot");
        assertEquals(Bots.Made.LIMIT_REACHED, bots.makeFor(third, olga, false));
        assertFalse(bots.is(third));
        assertTrue(accounts.register(third, "password-1"), "the refused name stays free for a person");
        assertEquals(Bots.Made.MADE, bots.makeFor(TestRedis.unique("e-bot"), olga, true), "a server administrator is not counted");

        String person = TestRedis.unique("ivan");
        assertTrue(accounts.register(person, "password-1"));
        assertEquals(Bots.Made.NAME_TAKEN, bots.makeFor(person, other, false));
    }

    @Test
    void aTokenOpensTheBotsAccountUntilAnAdministratorRevokesAllOfThem() {
        Bots bots = node();
        String bot = TestRedis.unique("deploy-bot");
        Bots.Issued one = bots.issue(bot, Duration.ofDays(30));
        Bots.Issued two = bots.issue(bot, Duration.ofDays(1));
        assertEquals(bot, one.username());
        assertEquals(Optional.of(bot), tokens.userOf(one.token()));
        assertEquals(Optional.of(bot), tokens.userOf(two.token()));
        long in30Days = System.currentTimeMillis() + Duration.ofDays(30).toMillis();
        assertTrue(Math.abs(one.expires() - in30Days) < 60_000, "expires in 30 days: " + one.expires());
        assertEquals(List.of(new Bots.Listed(bot, 2)), bots.list(bot.substring(0, bot.length() - 1), 1));

        List<String> revoked = bots.revokeAll(bot);
        assertEquals(List.of(Tokens.hash(one.token()), Tokens.hash(two.token())).stream().sorted().toList(), revoked.stream().sorted().toList());
        assertEquals(Optional.empty(), tokens.userOf(one.token()));
        assertEquals(Optional.empty(), tokens.userOf(two.token()));
        assertEquals(List.of(), bots.revokeAll(bot), "nothing left to revoke");
        assertEquals(List.of(new Bots.Listed(bot, 0)), bots.list(bot.substring(0, bot.length() - 1), 1), "still a bot, with no token");
        assertNotNull(bots.issue(bot, Duration.ofDays(1)), "and may be issued a new one");
    }

    @Test
    void botsAreListedByNameAPageAtATime() {
        Bots bots = node();
        String p = TestRedis.unique("bots");
        for (String s : List.of("c", "a", "b")) {
            bots.make(p + "-" + s);
        }
        assertEquals(List.of(p + "-a", p + "-b"), bots.list(p, 2).stream().map(Bots.Listed::username).toList());
        assertEquals(List.of(p + "-c"), bots.list(p + "-b", 1).stream().map(Bots.Listed::username).toList());
    }

    @Test
    void anotherNodeMarksABotAtItsNextRefresh() throws InterruptedException {
        Bots here = node();
        Bots there = node();
        there.refresh();
        String bot = TestRedis.unique("alerts");
        here.make(bot);
        assertFalse(there.is(bot), "not yet read there");
        there.refresh();
        assertTrue(there.is(bot));
        assertEquals(List.of(bot), there.of(List.of("olga", bot, "ivan")));
        String told = TestRedis.unique("pager");
        java.util.concurrent.LinkedBlockingQueue<org.redischat.wire.Event> heard = new java.util.concurrent.LinkedBlockingQueue<>();
        org.redisson.api.RTopic nodes = TestRedis.client().getTopic(org.redischat.redis.Keys.NODE_EVENTS, org.redisson.client.codec.StringCodec.INSTANCE);
        int listener = nodes.addListener(String.class, (ch, raw) -> heard.add(org.redischat.wire.Envelope.event(raw)));
        try {
            here.make(told);
            org.redischat.wire.Event e;
            do {
                e = heard.poll(5, java.util.concurrent.TimeUnit.SECONDS);
            } while (e != null && !told.equals(e.user()));
            assertEquals(org.redischat.wire.Event.bot(told), e, "the node that made the bot tells every node");
            here.make(told);
            Thread.sleep(300);
            assertTrue(heard.stream().noneMatch(again -> told.equals(again.user())), "made again: nothing new to tell");
        } finally {
            nodes.removeListener(listener);
        }
        there.remember(told); // what the fan-out does with that node event
        assertTrue(there.is(told), "told at once, before any refresh");
    }

    @Test
    void aTokensLifetimeIsTheDefaultOrWithinTheMost() {
        Bots bots = node();
        assertEquals(Duration.ofDays(365), bots.lifetime(null));
        assertEquals(Duration.ofDays(7), bots.lifetime(7));
        assertNull(bots.lifetime(0));
        assertNull(bots.lifetime(3651));
        assertEquals(Duration.ofDays(3650), bots.lifetime(3650));
    }

    @Test
    void theOperatorsKeyCountsOnlyWhenLongEnoughAndEqual() {
        Bots bots = node();
        assertFalse(bots.isAdminKey("anything"), "no key configured");
        bots.adminKey = Optional.of("short-key");
        assertFalse(bots.isAdminKey("short-key"), "a key under 32 characters is ignored");
        String key = "k".repeat(40);
        bots.adminKey = Optional.of(key);
        assertTrue(bots.isAdminKey(key));
        assertFalse(bots.isAdminKey(key + "k"));
        assertFalse(bots.isAdminKey(null));
    }
}
