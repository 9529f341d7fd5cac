package org.redischat.accounts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordsTest {

    private final Passwords passwords = new Passwords(1000);

    @Test
    void verifiesTheRightPasswordOnly() {
        String stored = passwords.hash("correct horse");
        assertTrue(passwords.verify("correct horse", stored));
        assertFalse(passwords.verify("correct horsf", stored));
        assertFalse(passwords.verify("", stored));
    }

    @Test
    void storesASaltedHashNeverThePassword() {
        String a = passwords.hash("correct horse");
        String b = passwords.hash("correct horse");
        assertNotEquals(a, b, "a fresh salt each time");
        assertFalse(a.contains("correct horse"));
        assertTrue(a.startsWith("pbkdf2-sha256$1000$"));
    }

    @Test
    void aHashKeepsItsOwnCostWhenTheConfiguredCostChanges() {
        String old = new Passwords(2000).hash("correct horse");
        assertTrue(passwords.verify("correct horse", old));
    }

    @Test
    void unknownUsersAndForeignFormatsDoNotVerify() {
        assertFalse(passwords.verify("correct horse", null));
        assertFalse(passwords.verify("correct horse", "md5$abc"));
    }

    @Test
    void passwordLengthIsCountedInCharacters() {
        assertFalse(Passwords.isAcceptable("1234567"));
        assertTrue(Passwords.isAcceptable("12345678"));
        assertTrue(Passwords.isAcceptable("😀".repeat(128)));
        assertFalse(Passwords.isAcceptable("x".repeat(129)));
        assertFalse(Passwords.isAcceptable(null));
    }

    @Test
    void theDefaultCostIsStrong() throws Exception {
        var props = new java.util.Properties();
        try (var in = getClass().getResourceAsStream("/META-INF/microprofile-config.properties")) {
            props.load(in);
        }
        assertTrue(Integer.parseInt(props.getProperty("auth.pbkdf2.iterations")) >= 600_000);
    }
}
