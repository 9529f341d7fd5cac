package org.redischat.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Which username a sign-in's budget of failures is counted for, read before JAX-RS sees the body. */
class SignInGateTest {

    private static String name(String body) {
        return SignInGate.username(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theNormalizedUsernameOrOneNameForAnythingThatNamesNone() {
        assertEquals("bob", name("{\"username\":\"Bob\",\"password\":\"x\"}"));
        assertEquals("-", name("{\"username\":\"no such name!\"}"));
        assertEquals("-", name("{\"username\":7}"));
        assertEquals("-", name("[1,2]"));
        assertEquals("-", name("not json"));
        assertEquals("-", name(""));
    }

    @Test
    void signInsSignUpsAndSingleSignOnSessionsTakeFromTheAddressBudget() {
        assertEquals(SignInGate.Budget.ADDRESS_AND_FAILURES, SignInGate.budgetOf("/api/sessions"));
        assertEquals(SignInGate.Budget.ADDRESS, SignInGate.budgetOf("/api/users"));
        assertEquals(SignInGate.Budget.ADDRESS, SignInGate.budgetOf("/api/sessions/sso"));
        assertEquals(SignInGate.Budget.ADDRESS, SignInGate.budgetOf("/api/sessions/current/renewal"));
        assertEquals(SignInGate.Budget.NONE, SignInGate.budgetOf("/api/rooms/team/invites"));
    }
}
