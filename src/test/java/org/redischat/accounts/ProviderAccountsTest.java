package org.redischat.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.codec.StringCodec;
import org.redischat.redis.Keys;
import org.redischat.redis.TestRedis;
import org.redischat.sso.InvalidToken;
import org.redischat.sso.IssuerServer;

/** Accounts and sessions of the provider's users, on the real Redis, with an issuer on a real HTTP port. */
class ProviderAccountsTest {

    private final IssuerServer issuer;
    private final ProviderAccounts accounts = new ProviderAccounts();
    private final Accounts local = new Accounts();
    private final Tokens tokens = new Tokens();
    private final Fired<GroupsSeen> seen = new Fired<>();
    private final ServerAdmins admins = new ServerAdmins();

    ProviderAccountsTest() throws IOException {
        issuer = new IssuerServer();
        accounts.redis = TestRedis.client();
        accounts.provider = issuer.provider(30);
        accounts.graceSeconds = 60;
        accounts.seen = seen;
        accounts.admins = admins;
        admins.redis = TestRedis.client();
        admins.adminGroups = Optional.of("chat-admins, ops");
        admins.init();
        local.redis = TestRedis.client();
        local.iterations = 1000;
        local.init();
        tokens.redis = TestRedis.client();
        tokens.ttlHours = 1;
        tokens.providerAccounts = accounts;
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    @Test
    void theFirstUseOfANameHoldsItAndNoPasswordOpensIt() {
        String name = TestRedis.unique("ann");
        ProviderAccounts.SignedIn in = accounts.signIn(issuer.token(name.toUpperCase(), 300));
        assertEquals(name, in.username(), "normalised as usernames are");
        long left = in.left().toSeconds();
        assertTrue(left > 300 && left <= 360, "the token's life plus the grace: " + left);
        assertEquals(name, accounts.signIn(issuer.token(name.toUpperCase(), 300)).username(), "the same identity again");
        assertThrows(ProviderAccounts.NameHeld.class, () -> accounts.signIn(issuer.token(name, 300)),
                "another subject (the test issuer's subject follows the claim as sent) with the same name");
        assertTrue(accounts.isProviderAccount(name));
        assertFalse(local.verify(name, "any password at all"));
        assertFalse(local.register(name, "password-1"), "the name is taken");
    }

    @Test
    void aNameHeldByALocalAccountIsRefusedNotMerged() {
        String name = TestRedis.unique("bea");
        assertTrue(local.register(name, "password-1"));
        assertThrows(ProviderAccounts.NameHeld.class, () -> accounts.signIn(issuer.token(name, 300)));
        assertTrue(local.verify(name, "password-1"), "untouched");
        assertFalse(accounts.isProviderAccount(name));
    }

    @Test
    void aUsernameClaimThatIsNoUsernameIsRefused() {
        assertThrows(InvalidToken.class, () -> accounts.signIn(issuer.token("ann@example.com", 300)));
    }

    @Test
    void theProvidersTokenIsAChatTokenUntilItExpiresPlusTheGraceAndASessionIsRenewedOnlyByItsUser() {
        String name = TestRedis.unique("cat");
        String access = issuer.token(name, 120);
        assertEquals(Optional.of(name), tokens.userOf(access));
        long ttl = TestRedis.client().getBucket(Keys.token(Tokens.hash(access)), StringCodec.INSTANCE).remainTimeToLive();
        assertTrue(ttl > 170_000 && ttl <= 180_000, "kept as long as the token plus the grace: " + ttl);

        String session = tokens.issue(name, Duration.ofSeconds(30));
        assertTrue(tokens.extend(session, name, Duration.ofSeconds(500)));
        long extended = TestRedis.client().getBucket(Keys.token(Tokens.hash(session)), StringCodec.INSTANCE).remainTimeToLive();
        assertTrue(extended > 490_000, "renewed: " + extended);
        assertFalse(tokens.extend(session, TestRedis.unique("dan"), Duration.ofSeconds(500)), "not by another user");
        assertFalse(tokens.extend("not-a-session", name, Duration.ofSeconds(500)));

        assertEquals(Optional.empty(), tokens.userOf(issuer.token(name, -60)), "expired beyond the leeway");
        String[] parts = issuer.token(name, 300).split("\\.");
        assertEquals(Optional.empty(), tokens.userOf(parts[0] + "." + parts[1] + ".AAAA"), "a signature that does not verify");
    }

    @Test
    void eachBelievedTokenSaysWhoIsAnAdministratorAndWhichGroupsTheUserHolds() {
        String name = TestRedis.unique("eve");
        assertFalse(admins.isAdmin(name));
        ProviderAccounts.SignedIn in = accounts.signIn(issuer.token(name, 300, "staff", "ops"));
        assertTrue(admins.isAdmin(name));
        long ttl = TestRedis.client().getBucket(Keys.admin(name), StringCodec.INSTANCE).remainTimeToLive();
        assertTrue(ttl > 300_000 && ttl <= 360_000, "as long as the session: " + ttl);
        assertEquals(new GroupsSeen(name, java.util.List.of("staff", "ops"), in.sessionEnds()), seen.events.get(0));

        accounts.signIn(issuer.token(name, 300, "staff"));
        assertFalse(admins.isAdmin(name), "the group lost: no administrator from this renewal on");
        assertEquals(java.util.List.of("staff"), seen.events.get(1).groups());
    }
}
