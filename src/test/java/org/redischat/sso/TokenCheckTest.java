package org.redischat.sso;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

class TokenCheckTest {

    private static final TestIssuer ISSUER = new TestIssuer();
    private static final KeySet KEYS = KeySet.parse(ISSUER.keySet());
    private static final Function<Boolean, KeySet> FIXED = again -> KEYS;

    private final TokenCheck check = new TokenCheck(TestIssuer.ISSUER, "chat", "preferred_username", "groups", Duration.ofSeconds(30));

    private TokenCheck.Identity checked(String token) {
        return check.check(token, FIXED, Instant.now());
    }

    private static String reason(Runnable r) {
        return assertThrows(InvalidToken.class, r::run).getMessage();
    }

    @Test
    void aProvidersTokenSignedWithEachAcceptedAlgorithmGivesItsIdentity() {
        JsonObject claims = TestIssuer.claims("alice").build();
        for (String alg : List.of("RS256", "PS256", "ES256")) {
            TokenCheck.Identity id = checked(ISSUER.sign(alg, alg.startsWith("ES") ? "e1" : "r1", claims));
            assertEquals("sub-alice", id.subject(), alg);
            assertEquals("alice", id.username(), alg);
            assertEquals(List.of("staff"), id.groups(), alg);
            assertEquals(claims.getJsonNumber("exp").longValue(), id.expires().getEpochSecond(), alg);
        }
    }

    @Test
    void aTokenWithoutKeyIdUsesTheOnlyKeyOfItsType() {
        assertEquals("alice", checked(ISSUER.sign("ES256", null, TestIssuer.claims("alice").build())).username());
    }

    @Test
    void aChangedClaimOrAForeignSignatureIsRefused() {
        String token = ISSUER.sign(TestIssuer.claims("alice").build());
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + TestIssuer.b64(TestIssuer.claims("admin").build().toString()) + "." + parts[2];
        assertEquals("the signature does not verify", reason(() -> checked(forged)));
        String other = new TestIssuer().sign(TestIssuer.claims("alice").build());
        assertEquals("the signature does not verify", reason(() -> checked(other)));
        assertEquals("the signature does not verify", reason(() -> checked(parts[0] + "." + parts[1] + ".")));
    }

    @Test
    void noneAndSymmetricAlgorithmsAreRefusedWhateverTheySay() {
        String claims = TestIssuer.b64(TestIssuer.claims("alice").build().toString());
        String none = TestIssuer.b64("{\"alg\":\"none\"}") + "." + claims + ".";
        assertEquals("algorithm none is not accepted", reason(() -> checked(none)));
        String hs = TestIssuer.b64("{\"alg\":\"HS256\",\"kid\":\"r1\"}") + "." + claims + ".c2ln";
        assertEquals("algorithm HS256 is not accepted", reason(() -> checked(hs)));
        String noAlg = TestIssuer.b64("{\"kid\":\"r1\"}") + "." + claims + ".c2ln";
        assertEquals("algorithm null is not accepted", reason(() -> checked(noAlg)));
    }

    @Test
    void issuerAudienceExpiryAndNotBeforeAreChecked() {
        long now = Instant.now().getEpochSecond();
        assertEquals("issued by another issuer", reason(() -> checked(ISSUER.sign(
                TestIssuer.claims("a").add("iss", TestIssuer.ISSUER + "/").build()))));
        assertEquals("meant for another audience", reason(() -> checked(ISSUER.sign(
                TestIssuer.claims("a").add("aud", "account").build()))));
        assertEquals("alice", checked(ISSUER.sign(TestIssuer.claims("alice").add("aud", "chat").build())).username());
        assertEquals("expired", reason(() -> checked(ISSUER.sign(TestIssuer.claims("a").add("exp", now - 31).build()))));
        assertEquals("a", checked(ISSUER.sign(TestIssuer.claims("a").add("exp", now - 5).build())).username(),
                "within the leeway for clocks apart");
        assertEquals("no expiry", reason(() -> checked(ISSUER.sign(TestIssuer.claims("a").remove("exp").build()))));
        assertEquals("not valid yet", reason(() -> checked(ISSUER.sign(TestIssuer.claims("a").add("nbf", now + 60).build()))));
        assertEquals("no subject", reason(() -> checked(ISSUER.sign(TestIssuer.claims("a").remove("sub").build()))));
    }

    @Test
    void aKeyIdNotYetKnownFetchesTheKeysAgainOnce() {
        TestIssuer rotated = new TestIssuer();
        KeySet after = KeySet.parse(rotated.keySet().replace("\"r1\"", "\"r2\""));
        AtomicInteger fetches = new AtomicInteger();
        Function<Boolean, KeySet> keys = again -> {
            if (again) {
                fetches.incrementAndGet();
                return after;
            }
            return KEYS;
        };
        assertEquals("alice", check.check(rotated.sign("RS256", "r2", TestIssuer.claims("alice").build()), keys, Instant.now())
                .username(), "the provider rotated its keys");
        assertEquals(1, fetches.get());
        assertEquals("alice", check.check(ISSUER.sign(TestIssuer.claims("alice").build()), keys, Instant.now()).username());
        assertEquals(1, fetches.get(), "a known key id fetches nothing");
    }

    @Test
    void aKeyIdTheSetDoesNotHoldIsRefusedAfterOneFetch() {
        AtomicInteger fetches = new AtomicInteger();
        Function<Boolean, KeySet> keys = again -> {
            if (again) {
                fetches.incrementAndGet();
            }
            return KEYS;
        };
        String token = ISSUER.sign("RS256", "rotated", TestIssuer.claims("alice").build());
        assertEquals("no key of the issuer matches the token's key id",
                reason(() -> check.check(token, keys, Instant.now())));
        assertEquals(1, fetches.get());
        String encryptionKey = ISSUER.sign("RS256", "enc", TestIssuer.claims("alice").build());
        assertEquals("no key of the issuer matches the token's key id",
                reason(() -> check.check(encryptionKey, keys, Instant.now())), "a key for encryption does not verify signatures");
    }

    @Test
    void textThatIsNotAJwtIsRefusedBeforeAnyKeyIsAsked() {
        Function<Boolean, KeySet> none = again -> {
            throw new AssertionError("keys asked");
        };
        for (String t : List.of("", "abc", "a.b", "a.b.c.d", "a+b.c.d", "x".repeat(20_000) + ".a.b")) {
            assertFalse(TokenCheck.isJwt(t), t);
            assertThrows(InvalidToken.class, () -> check.check(t, none, Instant.now()));
        }
        assertThrows(InvalidToken.class, () -> check.check("e30.bm90IGpzb24.c2ln", none, Instant.now()), "claims not JSON");
        assertTrue(TokenCheck.isJwt(ISSUER.sign(TestIssuer.claims("a").build())));
    }

    @Test
    void aKeySetKeepsOnlyTheSigningKeysItCanUse() {
        KeySet set = KeySet.parse("{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"},{\"kty\":\"EC\",\"crv\":\"P-999\",\"x\":\"AA\",\"y\":\"AA\"},"
                + "{\"kty\":\"RSA\",\"n\":\"!!\",\"e\":\"AQAB\"}]," + ISSUER.keySet().substring(1));
        assertEquals(2, set.size());
        assertThrows(IllegalArgumentException.class, () -> KeySet.parse("[]"));
        assertThrows(IllegalArgumentException.class, () -> KeySet.parse("{\"keys\":3}"));
        assertEquals(Json.createObjectBuilder().build().size(), KeySet.parse("{\"keys\":[]}").size());
    }
}
