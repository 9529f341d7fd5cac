package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redischat.it.Frames.join;
import static org.redischat.it.Frames.send;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Single sign-on against a real Keycloak, on Payara Micro and on WildFly (local accounts turned off
 * there): provider tokens exchanged for chat sessions and used directly, names that are not shared
 * with local accounts, and a user disabled at the provider cut off while one who renews is not.
 */
class SingleSignOnIT {

    /** How long a chat session outlives its provider token on these nodes (auth.oidc.session-grace-seconds). */
    static final int GRACE = 5;
    /** The room the provider's group "staff" opens on these nodes (auth.oidc.group-rooms). */
    static final String STAFF_ROOM = Api.newName("staff-room");

    private static Keycloak keycloak;
    private static PayaraMicroNode payara;
    private static WildFlyNode wildfly;

    @BeforeAll
    static void start() throws Exception {
        long t0 = System.nanoTime();
        keycloak = Keycloak.shared();
        String redis = System.getProperty("test.redis.address");
        String[] settings = {"-Dauth.oidc.issuer=" + keycloak.issuer, "-Dauth.oidc.session-grace-seconds=" + GRACE,
            "-Dauth.oidc.admin-groups=chat-admins", "-Dauth.oidc.group-rooms=staff=" + STAFF_ROOM};
        payara = PayaraMicroNode.start(Integer.getInteger("it.port4", 18083), redis, settings);
        List<String> wf = new ArrayList<>(List.of(settings));
        wf.add("-Dauth.local.enabled=false");
        wildfly = WildFlyNode.start(Integer.getInteger("it.port6", 18085), redis, false, wf.toArray(String[]::new));
        System.out.printf("single sign-on: Keycloak and two nodes up in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stop() throws Exception {
        for (TestNode n : new TestNode[] {payara, wildfly}) {
            if (n != null) {
                n.close();
            }
        }
    }

    private static List<TestNode> nodes() {
        return List.of(payara, wildfly);
    }

    /** A new user at the provider, in the given groups, and their first tokens. */
    private static JsonObject newUser(String name, String... groups) {
        keycloak.createUser(name, name + "-password", groups);
        return keycloak.passwordGrant(name, name + "-password");
    }

    private static Api.Reply exchange(TestNode node, String providerToken) {
        return Api.postAs(node.base, "api/sessions/sso", providerToken);
    }

    private static Api.Reply renew(TestNode node, String chatToken, String providerToken) {
        return Api.call(HttpRequest.newBuilder(node.base.resolve("api/sessions/current/renewal"))
                .header("Authorization", "Bearer " + chatToken).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + providerToken + "\"}")).build());
    }

    @Test
    void aProvidersTokenOpensAChatSessionAndASocketOnBothRuntimes() throws Exception {
        String name = Api.newName("sso");
        JsonObject tokens = newUser(name, "staff");
        String access = tokens.getString("access_token");
        for (TestNode node : nodes()) {
            String room = Api.newName("sso-room");
            Api.Reply methods = Api.get(node.base, "api/auth", "-");
            assertEquals(200, methods.status());
            assertEquals(keycloak.issuer, methods.json().getJsonObject("oidc").getString("issuer"));
            assertEquals(node == payara, methods.json().getBoolean("local"), methods.body());

            Api.Reply session = exchange(node, access);
            assertEquals(200, session.status(), session.body());
            assertEquals(name, session.json().getString("username"));
            long left = session.json().getJsonNumber("expires_in").longValue();
            assertTrue(left > 0 && left <= 30 + GRACE, "the session lives as long as the token plus the grace: " + left);
            try (ChatClient viaSession = ChatClient.connect(node.base, session.json().getString("token"));
                    ChatClient direct = ChatClient.connect(node.base, access)) {
                assertEquals(name, viaSession.user());
                assertEquals(name, direct.user(), "the provider's token opens a socket by itself");
                viaSession.joined(join(room));
                direct.joined(join(room));
                long id = viaSession.acked(send(room, "signed in at the provider", "s1"));
                try {
                    direct.await(f -> "message".equals(f.getString("type")) && f.getJsonNumber("id").longValue() == id);
                } catch (AssertionError e) {
                    throw new AssertionError("on " + node.base + ": the socket opened with the provider's token got "
                            + direct.received + "; the other " + viaSession.received + (direct.closed.isDone() ? "; closed " + direct.closed.join() : ""), e);
                }
            }
            Api.Reply current = Api.get(node.base, "api/sessions/current", access);
            assertEquals(200, current.status(), "the provider's token on an HTTP route");
            assertEquals(name, current.json().getString("username"));

            assertEquals(401, exchange(node, tokens.getString("id_token")).status(), "an ID token is meant for the client, not for this server");
            String[] parts = access.split("\\.");
            String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
            assertEquals(401, exchange(node, forged).status(), "a signature that does not verify");
            assertEquals(401, Api.get(node.base, "api/sessions/current", forged).status());
            assertEquals(401, ChatClient.handshakeStatus(node.base, "ws?access_token=" + forged, null), "nor opens a socket");
        }
    }

    @Test
    void aNameIsHeldByOneAccountLocalOrOfTheProvider() {
        String local = Api.newName("taken");
        assertEquals(201, Api.post(payara.base, "api/users", Api.credentials(local, "password-1")).status());
        Api.Reply clash = exchange(payara, newUser(local).getString("access_token"));
        assertEquals(409, clash.status(), clash.body());
        assertEquals("name_taken", clash.json().getString("error"));
        assertEquals(200, Api.post(payara.base, "api/sessions", Api.credentials(local, "password-1")).status(),
                "the local account is untouched");

        String sso = Api.newName("held");
        assertEquals(200, exchange(payara, newUser(sso).getString("access_token")).status());
        assertEquals(409, Api.post(payara.base, "api/users", Api.credentials(sso, "password-1")).status());
        assertEquals(401, Api.post(payara.base, "api/sessions", Api.credentials(sso, "password-1")).status(),
                "no password opens an account of the provider");

        Api.Reply off = Api.post(wildfly.base, "api/users", Api.credentials(Api.newName("local"), "password-1"));
        assertEquals(403, off.status(), off.body());
        assertEquals("local_off", off.json().getString("error"));
        assertEquals(403, Api.post(wildfly.base, "api/sessions", Api.credentials(local, "password-1")).status());
    }

    /**
     * Two users with a socket on each node; both renew their sessions as the web client does, with
     * the provider's next token. One is disabled at the provider: the provider refuses to renew
     * their tokens, their sessions end and every socket of theirs is closed with 1008 within the
     * documented time (token lifetime + grace + the token check's 20–40 s). The other keeps
     * renewing and keeps their sockets well past the lifetime of any one token.
     */
    @Test
    void aUserDisabledAtTheProviderLosesEverySocketWhileOneWhoRenewsKeepsTheirs() throws Exception {
        String stay = Api.newName("stay");
        String gone = Api.newName("gone");
        keycloak.createUser(stay, "stay-password", "staff");
        String goneId = keycloak.createUser(gone, "gone-password", "staff");
        Map<String, JsonObject> provider = new java.util.HashMap<>(Map.of(
                stay, keycloak.passwordGrant(stay, "stay-password"), gone, keycloak.passwordGrant(gone, "gone-password")));
        Map<String, List<String>> chatTokens = new java.util.HashMap<>();
        Map<String, List<ChatClient>> sockets = new java.util.HashMap<>();
        for (String user : List.of(stay, gone)) {
            for (TestNode node : nodes()) {
                String chat = exchange(node, provider.get(user).getString("access_token")).json().getString("token");
                chatTokens.computeIfAbsent(user, k -> new ArrayList<>()).add(chat);
                sockets.computeIfAbsent(user, k -> new ArrayList<>()).add(ChatClient.connect(node.base, chat));
            }
        }
        assertEquals(401, renew(payara, chatTokens.get(stay).get(0), provider.get(gone).getString("access_token")).status(),
                "a session is renewed only with a token of its own user");
        try {
            keycloak.disable(goneId);
            long disabled = System.nanoTime();
            long goneRenewals = 0;
            long goneClosedAfter = -1;
            // renew every 10 s, as the web client does a third of the way before its 30 s tokens expire
            while (System.nanoTime() - disabled < TimeUnit.SECONDS.toNanos(75)) {
                for (String user : List.of(stay, gone)) {
                    JsonObject next = keycloak.refresh(provider.get(user).getString("refresh_token"));
                    if (!next.containsKey("access_token")) {
                        assertEquals(gone, user, "the provider refused to renew: " + next);
                        continue;
                    }
                    provider.put(user, next);
                    for (int i = 0; i < nodes().size(); i++) {
                        Api.Reply r = renew(nodes().get(i), chatTokens.get(user).get(i), next.getString("access_token"));
                        assertEquals(200, r.status(), user + ": " + r.body());
                        if (user.equals(gone)) {
                            goneRenewals++;
                        }
                    }
                }
                if (goneClosedAfter < 0 && sockets.get(gone).stream().allMatch(c -> c.closed.isDone())) {
                    goneClosedAfter = (System.nanoTime() - disabled) / 1_000_000;
                }
                if (goneClosedAfter >= 0 && System.nanoTime() - disabled > TimeUnit.SECONDS.toNanos(40)) {
                    break;
                }
                Thread.sleep(goneClosedAfter >= 0 ? 10_000 : 1_000);
            }
            System.out.printf("single sign-on: a disabled user's sockets closed %d ms after the user was disabled%n", goneClosedAfter);
            assertEquals(0, goneRenewals, "the provider renews nothing of a disabled user");
            assertTrue(goneClosedAfter >= 0, "the disabled user's sockets are closed");
            for (ChatClient c : sockets.get(gone)) {
                assertEquals(1008, c.closed.join(), "closed as a token that ended");
            }
            assertTrue(goneClosedAfter <= (30 + GRACE + 2 * 2 + 20 + 5) * 1000L,
                    "within the token's lifetime, the grace and the token check: " + goneClosedAfter + " ms");
            for (TestNode node : nodes()) {
                assertEquals(401, Api.get(node.base, "api/sessions/current", chatTokens.get(gone).get(0)).status());
            }
            String room = Api.newName("still");
            for (ChatClient c : sockets.get(stay)) {
                assertFalse(c.closed.isDone(), "a user who renews is never cut off");
                c.joined(join(room));
            }
            long id = sockets.get(stay).get(0).acked(send(room, "still here", "s"));
            sockets.get(stay).get(1).await(f -> "message".equals(f.getString("type")) && f.getJsonNumber("id").longValue() == id);
        } finally {
            sockets.values().forEach(list -> list.forEach(ChatClient::close));
        }
    }

    /**
     * Groups at the provider: "chat-admins" makes server administrators, who moderate a room they
     * are not in; "staff" opens its private room to its holders, shown in their welcome, and a user
     * taken out of the group is taken out of the room at their next renewal.
     */
    @Test
    void groupsMakeAdministratorsAndOpenTheirRooms() throws Exception {
        String boss = Api.newName("boss");
        String sam = Api.newName("sam");
        String out = Api.newName("out");
        keycloak.createUser(boss, boss + "-password", "chat-admins");
        String samId = keycloak.createUser(sam, sam + "-password", "staff");
        keycloak.createUser(out, out + "-password");
        JsonObject samTokens = keycloak.passwordGrant(sam, sam + "-password");
        String samChat = exchange(payara, samTokens.getString("access_token")).json().getString("token");
        try (ChatClient s = ChatClient.open(payara.base, samChat);
                ChatClient o = ChatClient.connect(wildfly.base, exchange(wildfly,
                        keycloak.passwordGrant(out, out + "-password").getString("access_token")).json().getString("token"));
                ChatClient b = ChatClient.open(wildfly.base, exchange(wildfly,
                        keycloak.passwordGrant(boss, boss + "-password").getString("access_token")).json().getString("token"))) {
            JsonObject welcome = s.awaitType("welcome");
            assertEquals(List.of(STAFF_ROOM), welcome.getJsonArray("joinable").getValuesAs(jakarta.json.JsonString.class)
                    .stream().map(jakarta.json.JsonString::getString).toList(), "the group's room, to join: " + welcome);
            assertFalse(welcome.containsKey("admin"));
            JsonObject joined = s.joined(join(STAFF_ROOM));
            assertTrue(joined.getBoolean("private"), "a group's room is private");
            assertEquals("forbidden", o.request(join(STAFF_ROOM), "joined").getString("code"), "not without the group");

            JsonObject bossWelcome = b.awaitType("welcome");
            assertTrue(bossWelcome.getBoolean("admin"), "chat-admins holds server administrators: " + bossWelcome);
            String room = Api.newName("public");
            o.joined(join(room));
            s.joined(join(room));
            JsonObject removed = b.request(Frames.of("type", "remove", "room", room, "user", sam, "ref", "r1"), "removed");
            assertEquals("removed", removed.getString("type"), "an administrator moderates a room they are not in: " + removed);
            s.await(f -> "member_remove".equals(f.getString("type")) && room.equals(f.getString("room")) && sam.equals(f.getString("user")));

            keycloak.leaveGroup(samId, "staff");
            JsonObject next = keycloak.refresh(samTokens.getString("refresh_token"));
            assertEquals(200, renew(payara, samChat, next.getString("access_token")).status());
            s.await(f -> "member_remove".equals(f.getString("type")) && STAFF_ROOM.equals(f.getString("room"))
                    && sam.equals(f.getString("user")));
            assertEquals("forbidden", s.request(join(STAFF_ROOM), "joined").getString("code"), "the group's room is closed to them now");
            assertFalse(s.closed.isDone(), "the rest of their chat goes on");
        }
    }

    /**
     * The web client in Chromium: signs in through Keycloak's own login page (code flow with PKCE),
     * chats, signs out at the provider too (the next sign-in asks for the password again), and,
     * signed in again, is sent back to the sign-in screen once the user is disabled at the provider.
     */
    @Test
    void theWebClientSignsInAtTheProviderAndIsCutOffWhenTheUserIsDisabled() throws Exception {
        String name = Api.newName("web");
        String id = keycloak.createUser(name, name + "-password", "staff");
        try (Browser b = new Browser(1200, 900)) {
            b.driver.get(payara.base.toString());
            signInAtKeycloak(b, name);
            String room = Api.newName("web-room");
            b.find("join-room").sendKeys(room, org.openqa.selenium.Keys.ENTER);
            b.until(d -> b.find("room-title").getText().equals("#" + room));
            b.until(d -> b.find("send").isEnabled());
            b.find("text").sendKeys("hello from the provider", org.openqa.selenium.Keys.ENTER);
            b.until(d -> String.valueOf(b.driver.executeScript(
                    "return [...document.querySelectorAll('#messages .text')].map(e => e.textContent).join('|')"))
                    .contains("hello from the provider"));

            b.find("signout").click();
            // the page goes to the provider's sign-out and comes back: ask the page that is there now, in one script
            b.until(d -> signInShown(b));
            signInAtKeycloak(b, name); // the provider asks again: its session ended with the sign-out

            keycloak.disable(id);
            long disabled = System.nanoTime();
            b.until(d -> signInShown(b), Duration.ofSeconds(30 + GRACE + 45));
            System.out.printf("single sign-on: the web client was back at sign-in %d ms after the user was disabled%n",
                    (System.nanoTime() - disabled) / 1_000_000);
            assertFalse(b.find("signin-error").getText().isBlank(), "the page says why");
        }
    }

    /** The chat page is shown with its sign-in screen (false while another page is loading). */
    private static boolean signInShown(Browser b) {
        try {
            return Boolean.TRUE.equals(b.driver.executeScript("return location.href.startsWith(arguments[0])"
                    + " && document.readyState === 'complete' && !!document.getElementById('signin')"
                    + " && !document.getElementById('signin').hidden", payara.base.toString()));
        } catch (org.openqa.selenium.WebDriverException navigating) {
            return false;
        }
    }

    private static void signInAtKeycloak(Browser b, String name) {
        b.until(d -> shown(b, "sso-button"));
        b.find("sso-button").click();
        b.until(d -> d.getCurrentUrl().startsWith(keycloak.base.toString()) && shown(b, "username"));
        b.find("username").sendKeys(name);
        b.find("password").sendKeys(name + "-password");
        b.find("kc-login").click();
        b.until(d -> {
            try {
                return d.getCurrentUrl().startsWith(payara.base.toString())
                        && "connected".equals(b.find("status").getDomProperty("textContent"));
            } catch (org.openqa.selenium.WebDriverException navigating) {
                return false;
            }
        }, Duration.ofSeconds(30));
        assertEquals(name, b.find("me").getDomProperty("textContent"));
    }

    /** The element is there and shown; false while a page is replaced under the question. */
    private static boolean shown(Browser b, String id) {
        try {
            return b.find(id).isDisplayed();
        } catch (org.openqa.selenium.WebDriverException navigating) {
            return false;
        }
    }
}
