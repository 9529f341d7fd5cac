package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redischat.it.Frames.join;
import static org.redischat.it.Frames.of;
import static org.redischat.it.Frames.send;
import static org.redischat.it.Replies.assertBad;
import static org.redischat.it.Replies.assertError;
import static org.redischat.it.Replies.assertErrorFrame;
import static org.redischat.it.Replies.ids;
import static org.redischat.it.Replies.messageId;
import static org.redischat.it.Replies.strings;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** docs/PROTOCOL.md against one Payara Micro node, as a client sees it. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ProtocolIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL url;

    /**
     * The node's address as 127.0.0.1 (Arquillian names the machine's interface): the suite's nodes
     * trust only the loopback as a proxy, so X-Forwarded-For is believed from there.
     */
    URI base() throws Exception {
        URI u = url.toURI();
        return new URI(u.getScheme(), null, "127.0.0.1", u.getPort(), u.getPath(), null, null);
    }

    ChatClient user(String name) throws Exception {
        return ChatClient.connect(base(), Api.signUp(base(), name));
    }

    // ---- answers of maximum-size messages

    /**
     * 320 messages of 4,000 code points (16 KB each, 5 MB in all): a history of 200, a plain join and
     * a join since 0 are answered in pages that fit the socket's outbound bound (1 MiB), with more:true,
     * never by a close; paging on yields every message once, in order. Reads pay for the bytes they
     * answer (1.5), so the reader does what a client does with {@code rate_limited}: waits, asks again.
     */
    @Test
    void answersOfMaximumSizeMessagesArePagedNotClosed() throws Exception {
        String room = Api.newName("big");
        String text = "\ud83d\ude00".repeat(4000); // 4,000 code points, 16,000 bytes of UTF-8
        int total = 320;
        for (int w = 0; w < total / 40; w++) { // writers of 40 (a send burst) each, one after the other
            try (ChatClient writer = user(Api.newName("w"))) {
                writer.joined(join(room));
                for (int i = 0; i < 40; i++) {
                    writer.send(send(room, text, "b" + i));
                }
                for (int i = 0; i < 40; i++) {
                    writer.awaitType("ack");
                }
                writer.request(of("type", "leave", "room", room), "left"); // so the next writers' messages skip it
            }
        }
        try (ChatClient reader = user(Api.newName("reader"))) {
            JsonObject joined = read(reader, join(room), "joined");
            assertTrue(joined.getBoolean("more"));
            List<Integer> newest = ids(joined);
            assertFalse(newest.isEmpty());
            assertEquals(total, newest.get(newest.size() - 1), "a plain join ends at the newest message");

            JsonObject history = read(reader, of("type", "history", "room", room, "limit", 200), "history");
            assertTrue(history.getBoolean("more"));
            List<Integer> page = ids(history);
            assertEquals(total, page.get(page.size() - 1));
            assertTrue(page.size() < 200, "a page of 200 such messages would be 3.2 MB: it is cut, more:true");

            int since = 0;
            List<Integer> all = new ArrayList<>();
            for (int pages = 0; since < total; pages++) {
                assertTrue(pages < 100, "paging with since ends");
                JsonObject next = read(reader, of("type", "join", "room", room, "since", since), "joined");
                assertTrue(next.getBoolean("recovered"));
                List<Integer> got = ids(next);
                assertFalse(got.isEmpty());
                all.addAll(got);
                since = got.get(got.size() - 1);
                assertEquals(since < total, next.getBoolean("more"));
            }
            assertEquals(IntStream.rangeClosed(1, total).boxed().toList(), all, "every message once, in order");
            assertFalse(reader.closed.isDone(), "the socket stayed open");
        }
    }

    /** A read's answer, asked again a second after each {@code rate_limited}; any other error fails. */
    private static JsonObject read(ChatClient c, String frame, String answerType) throws InterruptedException {
        for (int tries = 0; tries < 60; tries++) {
            JsonObject answer = c.request(frame, answerType);
            if (answerType.equals(answer.getString("type"))) {
                return answer;
            }
            assertEquals("rate_limited", answer.getString("code"), "answer to " + frame + ": " + answer);
            Thread.sleep(1000);
        }
        throw new AssertionError("still rate_limited after a minute: " + frame);
    }

    // ---- accounts

    @Test
    void accountsFollowTheHttpContract() throws Exception {
        String name = Api.newName("Carol");
        Api.Reply created = Api.post(base(), "api/users", Api.credentials(name, "correct horse"));
        assertEquals(201, created.status());
        assertEquals(name.toLowerCase(), created.json().getString("username"));
        assertEquals(409, Api.post(base(), "api/users", Api.credentials(name.toLowerCase(), "other password")).status());
        assertError(Api.post(base(), "api/users", Api.credentials("-bad", "correct horse")), 400);
        assertError(Api.post(base(), "api/users", Api.credentials(Api.newName("d"), "short")), 400);
        assertError(Api.post(base(), "api/users", "not json"), 400);
        assertError(Api.post(base(), "api/sessions", "{\"username\":1}"), 400);
        assertError(Api.post(base(), "api/sessions", Api.credentials(name, "wrong password")), 401);
        assertError(Api.post(base(), "api/sessions", Api.credentials("nobody-" + name, "correct horse")), 401);

        Api.Reply login = Api.post(base(), "api/sessions", Api.credentials(name.toUpperCase(), "correct horse"));
        assertEquals(200, login.status());
        String token = login.json().getString("token");
        assertEquals(name.toLowerCase(), login.json().getString("username"));
        assertTrue(token.length() >= 22, "at least 128 bits");
        String second = Api.post(base(), "api/sessions", Api.credentials(name, "correct horse")).json().getString("token");

        try (ChatClient a = ChatClient.connect(base(), token); ChatClient b = ChatClient.connect(base(), second)) {
            assertEquals(204, Api.delete(base(), "api/sessions/current", token).status());
            assertEquals(1008, a.awaitClose());
            assertEquals(401, Api.delete(base(), "api/sessions/current", token).status());
            // the other login keeps working
            assertTrue(b.quiet(Duration.ofMillis(300)));
            b.joined(join(Api.newName("r")));
        }
        assertEquals(401, ChatClient.handshakeStatus(base(), "ws?access_token=" + token, null));
    }

    /**
     * The suite's nodes trust 127.0.0.1 as a proxy (AUTH_PROXIES_TRUSTED in the pom), so each request
     * names its client in X-Forwarded-For, as a proxy in front of the nodes would.
     */
    @Test
    void aFloodOfWrongPasswordsIsSlowedForItsClientWhileTheOwnerSignsInFromElsewhere() throws Exception {
        String victim = Api.newName("victim");
        Api.signUp(base(), victim);
        String other = Api.newName("other");
        Api.signUp(base(), other);
        String guesser = "203.0.113." + (1 + new java.util.Random().nextInt(250));
        int refused = 0;
        String retryAfter = null;
        for (int i = 0; i < 30; i++) {
            Api.Reply r = Api.postFrom(base(), "api/sessions", Api.credentials(victim, "wrong password " + i), guesser);
            if (r.status() == 429) {
                refused++;
                retryAfter = r.header("Retry-After");
                assertEquals("rate_limited", r.json().getString("error"));
            } else {
                assertEquals(401, r.status());
            }
        }
        assertTrue(refused >= 15, "after a burst of 10, the guesser's tries at one username are refused: " + refused);
        assertTrue(Integer.parseInt(retryAfter) >= 1, "with a Retry-After in seconds: " + retryAfter);
        assertEquals(429, Api.postFrom(base(), "api/sessions", Api.credentials(victim, "password-1"), guesser).status(),
                "the guesser waits even with the right password");
        long t0 = System.nanoTime();
        assertEquals(200, Api.postFrom(base(), "api/sessions", Api.credentials(victim, "password-1"), "198.51.100.23").status(),
                "the owner, from their own address, is not locked out");
        assertEquals(200, Api.postFrom(base(), "api/sessions", Api.credentials(other, "password-1"), guesser).status(),
                "another user at the guesser's address signs in");
        assertTrue(System.nanoTime() - t0 < 4_000_000_000L, "at once");
    }

    // ---- dead peers

    /**
     * A client whose network vanishes without a FIN (a proxy that stops forwarding and keeps the
     * connection open): the server's pings go unanswered, it closes the socket, and the user goes
     * offline for the others within 60 s (pings after 20 s of silence, 20 s to answer).
     */
    @Test
    void aPeerThatVanishesWithoutClosingGoesOfflineWithinAMinute() throws Exception {
        String room = Api.newName("gone");
        String ghost = Api.newName("ghost");
        String token = Api.signUp(base(), ghost);
        try (ChatClient observer = user(Api.newName("observer"));
                FreezingProxy proxy = FreezingProxy.to(base().getPort())) {
            observer.joined(join(room));
            URI viaProxy = new URI("http", null, "127.0.0.1", proxy.port(), base().getPath(), null, null);
            ChatClient vanishing = ChatClient.connect(viaProxy, token);
            vanishing.joined(join(room));
            observer.await(f -> "presence".equals(f.getString("type")) && ghost.equals(f.getString("user"))
                    && f.getBoolean("online"));
            long t0 = System.nanoTime();
            proxy.freezeAll();
            JsonObject offline = observer.await(f -> "presence".equals(f.getString("type")) && ghost.equals(f.getString("user")),
                    Duration.ofSeconds(60));
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            System.out.println("dead peer: offline for the others after " + seconds + " s");
            assertFalse(offline.getBoolean("online"));
            assertTrue(seconds < 60, seconds + " s");
            vanishing.socket().abort();
        }
    }

    // ---- handshake

    @Test
    void handshakeNeedsATokenAndAnAllowedOrigin() throws Exception {
        String token = Api.signUp(base(), Api.newName("dan"));
        assertEquals(401, ChatClient.handshakeStatus(base(), "ws", null));
        assertEquals(401, ChatClient.handshakeStatus(base(), "ws?access_token=forged", null));
        assertEquals(403, ChatClient.handshakeStatus(base(), "ws?access_token=" + token, "http://evil.example"));
        assertEquals(403, ChatClient.handshakeStatus(base(), "ws?access_token=" + token, "null"));
        String own = "http://" + base().getHost() + ":" + base().getPort();
        assertEquals(101, ChatClient.handshakeStatus(base(), "ws?access_token=" + token, own));

        // the Authorization header works as well as the query parameter
        var socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(URI.create(wsBase() + "ws"), new ChatClient()).get(10, TimeUnit.SECONDS);
        socket.abort();
    }

    private String wsBase() throws Exception {
        return base().toString().replaceFirst("^http", "ws");
    }

    // ---- rooms, messages, members

    @Test
    void welcomeListsTheRoomsWithNewestIds() throws Exception {
        String name = Api.newName("erin");
        String token = Api.signUp(base(), name);
        String room = Api.newName("w");
        try (ChatClient c = ChatClient.connect(base(), token)) {
            c.joined(join(room));
            c.request(send(room, "one", "1"), "ack");
            c.request(send(room, "two", "2"), "ack");
        }
        ChatClient again = ChatClient.open(base(), token);
        JsonObject w = again.next("welcome");
        assertEquals(name, w.getString("user"));
        assertEquals(1, w.getJsonArray("rooms").size());
        JsonObject r = w.getJsonArray("rooms").getJsonObject(0);
        assertEquals(room, r.getString("room"));
        assertEquals(2, r.getInt("lastId"));
        assertEquals(0, r.getInt("lastRead"));
        again.close();
    }

    @Test
    void joinSendAndDeliveryToEveryMemberSocket() throws Exception {
        String alice = Api.newName("alice");
        String bob = Api.newName("bob");
        String room = Api.newName("Room").toUpperCase();
        String bobToken = Api.signUp(base(), bob);
        try (ChatClient a = user(alice); ChatClient b1 = ChatClient.connect(base(), bobToken);
                ChatClient b2 = ChatClient.connect(base(), bobToken)) {
            a.send(join(room));
            JsonObject joined = a.next("joined"); // the answer comes before the room's events
            String lower = room.toLowerCase();
            assertEquals(lower, joined.getString("room"));
            assertEquals(List.of(alice), strings(joined, "members"));
            assertEquals(0, joined.getJsonArray("messages").size());
            assertFalse(joined.getBoolean("more"));
            assertTrue(joined.getString("epoch").length() > 0);
            assertEquals(List.of(alice), strings(joined, "online"));
            assertEquals(alice, a.awaitType("member_add").getString("user"));

            JsonObject bJoined = b1.request(join(room), "joined");
            assertEquals(List.of(alice, bob).stream().sorted().toList(), strings(bJoined, "members").stream().sorted().toList());
            // member_add goes to every socket of every member, the new one's included
            for (ChatClient c : List.of(a, b1, b2)) {
                JsonObject add = c.awaitType("member_add");
                assertEquals(bob, add.getString("user"));
                assertEquals(lower, add.getString("room"));
            }

            JsonObject ack = a.request(send(lower, "hello <b>bob</b>", "c-1"), "ack");
            assertEquals("c-1", ack.getString("ref"));
            assertEquals(lower, ack.getString("room"));
            assertEquals(1, ack.getInt("id"));
            for (ChatClient c : List.of(a, b1, b2)) {
                JsonObject m = c.awaitType("message");
                assertEquals(1, m.getInt("id"));
                assertEquals(alice, m.getString("from"));
                assertEquals("hello <b>bob</b>", m.getString("text"));
                assertEquals(lower, m.getString("room"));
                assertTrue(Math.abs(System.currentTimeMillis() - m.getJsonNumber("ts").longValue()) < 60_000);
            }
        }
    }

    @Test
    void aResendWithTheSameRefIsStoredOnce() throws Exception {
        String room = Api.newName("idem");
        try (ChatClient a = user(Api.newName("fay")); ChatClient b = user(Api.newName("gus"))) {
            a.joined(join(room));
            b.joined(join(room));
            b.awaitType("member_add");
            assertEquals(1, a.request(send(room, "first", "r-1"), "ack").getInt("id"));
            assertEquals(1, a.request(send(room, "other text, same ref", "r-1"), "ack").getInt("id"));
            assertEquals(2, a.request(send(room, "second", "r-2"), "ack").getInt("id"));
            assertEquals(1, b.awaitType("message").getInt("id"));
            JsonObject second = b.awaitType("message");
            assertEquals(2, second.getInt("id"));
            assertEquals("second", second.getString("text"));
        }
    }

    @Test
    void joinReturnsTheNewestPageAndHistoryPagesBack() throws Exception {
        String room = Api.newName("hist");
        try (ChatClient a = user(Api.newName("hal")); ChatClient b = user(Api.newName("ivy"))) {
            a.joined(join(room));
            b.joined(join(room));
            for (int i = 1; i <= 60; i++) {
                ChatClient sender = i % 2 == 0 ? a : b; // two senders stay under the rate limit
                sender.request(send(room, "m" + i, "h" + i), "ack");
            }
            try (ChatClient late = user(Api.newName("jay"))) {
                JsonObject joined = late.request(join(room), "joined");
                List<Integer> ids = ids(joined);
                assertEquals(50, ids.size());
                assertEquals(11, ids.get(0));
                assertEquals(60, ids.get(49));
                assertTrue(joined.getBoolean("more"));

                JsonObject h = late.request(of("type", "history", "room", room, "before", 11, "limit", 7), "history");
                assertEquals(List.of(4, 5, 6, 7, 8, 9, 10), ids(h));
                assertTrue(h.getBoolean("more"));
                JsonObject rest = late.request(of("type", "history", "room", room, "before", 4), "history");
                assertEquals(List.of(1, 2, 3), ids(rest));
                assertFalse(rest.getBoolean("more"));
                JsonObject newest = late.request(of("type", "history", "room", room, "limit", 2), "history");
                assertEquals(List.of(59, 60), ids(newest));
            }
        }
    }

    @Test
    void joinWithSinceRecoversExactlyWhatWasMissed() throws Exception {
        String room = Api.newName("since");
        try (ChatClient a = user(Api.newName("kim"))) {
            JsonObject first = a.request(join(room), "joined");
            String epoch = first.getString("epoch");
            for (int i = 1; i <= 5; i++) {
                a.request(send(room, "m" + i, "s" + i), "ack");
            }
            JsonObject again = a.request(of("type", "join", "room", room, "since", 2, "epoch", epoch), "joined");
            assertTrue(again.getBoolean("recovered"));
            assertEquals(List.of(3, 4, 5), ids(again));
            assertFalse(again.getBoolean("more"));

            JsonObject upToDate = a.request(of("type", "join", "room", room, "since", 5), "joined");
            assertTrue(upToDate.getBoolean("recovered"));
            assertEquals(List.of(), ids(upToDate));

            JsonObject otherEpoch = a.request(of("type", "join", "room", room, "since", 2, "epoch", "lost"), "joined");
            assertFalse(otherEpoch.getBoolean("recovered"));
            assertEquals(List.of(1, 2, 3, 4, 5), ids(otherEpoch));

            JsonObject ahead = a.request(of("type", "join", "room", room, "since", 9, "epoch", epoch), "joined");
            assertFalse(ahead.getBoolean("recovered"));
            assertEquals(List.of(1, 2, 3, 4, 5), ids(ahead));

            // a plain join carries no 'recovered'
            assertFalse(a.request(join(room), "joined").containsKey("recovered"));
        }
    }

    @Test
    void leaveEndsTheMembership() throws Exception {
        String room = Api.newName("leave");
        String lea = Api.newName("lea");
        String leaToken = Api.signUp(base(), lea);
        try (ChatClient other = user(Api.newName("max")); ChatClient l1 = ChatClient.connect(base(), leaToken);
                ChatClient l2 = ChatClient.connect(base(), leaToken)) {
            other.joined(join(room));
            l1.joined(join(room));
            other.awaitType("member_add");
            l2.awaitType("member_add");

            JsonObject left = l1.request(of("type", "leave", "room", room), "left");
            assertEquals(room, left.getString("room"));
            JsonObject removed = other.awaitType("member_remove");
            assertEquals(lea, removed.getString("user"));
            assertEquals(lea, l2.awaitType("member_remove").getString("user"));

            l1.drain();
            l2.drain();
            other.request(send(room, "after leave", "x"), "ack");
            other.awaitType("message");
            assertTrue(l1.quiet(Duration.ofMillis(500)), "the leaver's socket gets no more events");
            assertTrue(l2.quiet(Duration.ofMillis(100)), "nor the leaver's other sockets");
            assertErrorFrame(l1.request(of("type", "history", "room", room), "history"), "not_member", null);
            assertErrorFrame(l1.request(of("type", "leave", "room", room, "ref", "again"), "left"), "not_member", "again");
            assertErrorFrame(l1.request(send(room, "hi", "s"), "ack"), "not_member", "s");
        }
    }

    @Test
    void directRooms() throws Exception {
        String a = Api.newName("ann");
        String b = Api.newName("ben");
        String dm = "dm:" + (a.compareTo(b) < 0 ? a + ":" + b : b + ":" + a);
        String wrongOrder = "dm:" + (a.compareTo(b) < 0 ? b + ":" + a : a + ":" + b);
        try (ChatClient ca = user(a); ChatClient cb = user(b); ChatClient third = user(Api.newName("cy"))) {
            assertErrorFrame(ca.request(send(wrongOrder, "hi", "w"), "ack"), "bad_request", "w");
            assertErrorFrame(ca.request(send("dm:" + a + ":" + a, "hi", "w2"), "ack"), "bad_request", "w2");
            assertErrorFrame(third.request(send(dm, "hi", "t"), "ack"), "forbidden", "t");
            assertErrorFrame(third.request(join(dm), "joined"), "forbidden", null);
            String ghost = "zz-" + Api.newName("ghost");
            String toGhost = "dm:" + (a.compareTo(ghost) < 0 ? a + ":" + ghost : ghost + ":" + a);
            assertErrorFrame(ca.request(send(toGhost, "hi", "g"), "ack"), "not_found", "g");

            // sending without joining makes both members; the other hears member_add then the message
            assertEquals(1, ca.request(send(dm, "psst", "d1"), "ack").getInt("id"));
            JsonObject add = cb.awaitType("member_add");
            assertEquals(dm, add.getString("room"));
            JsonObject m = cb.awaitType("message");
            assertEquals("psst", m.getString("text"));
            assertEquals(dm, m.getString("room"));
            JsonObject h = cb.request(of("type", "history", "room", dm), "history");
            assertEquals(List.of(1), ids(h));

            // a leaver becomes a member again with the next send
            cb.request(of("type", "leave", "room", dm), "left");
            ca.request(send(dm, "still there?", "d2"), "ack");
            assertEquals(b, ca.await(f -> "member_add".equals(f.getString("type")) && b.equals(f.getString("user"))).getString("user"));
            assertEquals("still there?", cb.awaitType("message").getString("text"));
        }
    }

    @Test
    void presenceFollowsAUsersFirstAndLastSocket() throws Exception {
        String room = Api.newName("presence");
        String pat = Api.newName("pat");
        String obsName = Api.newName("obs");
        String patToken = Api.signUp(base(), pat);
        try (ChatClient obs = user(obsName)) {
            obs.joined(join(room));
            ChatClient p1 = ChatClient.connect(base(), patToken);
            JsonObject joined = p1.request(join(room), "joined");
            assertEquals(List.of(obsName, pat).stream().sorted().toList(), strings(joined, "online").stream().sorted().toList());
            JsonObject add = obs.await(f -> "member_add".equals(f.getString("type")) && pat.equals(f.getString("user")));
            JsonObject on = obs.awaitType("presence");
            assertEquals(pat, on.getString("user"));
            assertEquals(room, on.getString("room"));
            assertTrue(on.getBoolean("online"));
            assertTrue(add != null);

            ChatClient p2 = ChatClient.connect(base(), patToken); // a second tab is the same presence
            p2.close();
            p1.close(); // the last socket
            // presence changes are applied one at a time: anything p2 caused comes before p1's offline
            List<JsonObject> seen = obs.takeThrough(f -> "presence".equals(f.getString("type")) && !f.getBoolean("online"));
            JsonObject off = seen.get(seen.size() - 1);
            assertEquals(pat, off.getString("user"));
            assertEquals(1, seen.stream().filter(f -> "presence".equals(f.getString("type"))).count(),
                    "a second socket opened and closed changes nothing: " + seen);

            try (ChatClient back = ChatClient.connect(base(), patToken)) {
                assertTrue(obs.awaitType("presence").getBoolean("online"));
                JsonObject again = back.request(join(room), "joined");
                assertTrue(strings(again, "online").contains(obsName));
            }
        }
    }

    /**
     * Every frame the server sends in a conversation that uses each kind of frame is a ServerFrame of
     * docs/asyncapi.yaml (validated with its JSON Schemas), and every kind of server frame came.
     */
    @Test
    void everyFrameTheServerSendsIsDescribedByTheAsyncApiDocument() throws Exception {
        String room = Api.newName("doc");
        String amy = Api.signUp(base(), Api.newName("amy"));
        List<ChatClient> clients = new ArrayList<>();
        try (ChatClient a1 = ChatClient.connect(base(), amy); ChatClient a2 = ChatClient.connect(base(), amy);
                ChatClient b = user(Api.newName("bob"))) {
            clients.addAll(List.of(a1, a2, b));
            a1.joined(join(room));
            b.joined(join(room));
            a1.awaitType("member_add");
            a1.request(send(room, "described", "d1"), "ack");
            b.awaitType("message");
            b.request(of("type", "history", "room", room), "history");
            b.send(of("type", "typing", "room", room));
            a1.awaitType("typing");
            a1.send(of("type", "read", "room", room, "id", 1));
            a2.awaitType("read");
            a1.request(of("type", "ping", "ref", "p-1"), "pong");
            a1.request("{\"type\":\"nonsense\"}", "never");
            try (ChatClient c = user(Api.newName("cat"))) {
                clients.add(c);
                c.joined(join(room));
                a1.awaitType("presence");
            }
            b.request(of("type", "leave", "room", room), "left");
            a1.awaitType("member_remove");
        }
        java.util.Set<String> types = new java.util.TreeSet<>();
        for (ChatClient c : clients) {
            for (String frame : c.received) {
                assertEquals(java.util.Set.of(), org.redischat.wire.AsyncApi.serverFrameProblems(frame), frame);
                types.add(jakarta.json.Json.createReader(new java.io.StringReader(frame)).readObject().getString("type"));
            }
        }
        assertEquals(new java.util.TreeSet<>(List.of("ack", "error", "history", "joined", "left", "member_add",
                "member_remove", "message", "pong", "presence", "read", "typing", "welcome")), types);
    }

    /** Added in 1.2: the welcome tells a client the settings it must respect. */
    @Test
    void theWelcomeCarriesTheServersLimits() throws Exception {
        var c = ChatClient.open(base(), Api.signUp(base(), Api.newName("lim")));
        try (c) {
            JsonObject limits = c.next("welcome").getJsonObject("limits");
            assertEquals(2000, limits.getInt("typingIntervalMs"));
            assertEquals(4000, limits.getInt("textMaxLength"));
            assertEquals(50, limits.getInt("pageSize"));
        }
    }

    /** Added in 1.2: a client can ask whether the server still hears it; the answer echoes the ref. */
    @Test
    void aPingIsAnsweredWithAPong() throws Exception {
        try (ChatClient c = user(Api.newName("pia"))) {
            JsonObject pong = c.request(of("type", "ping", "ref", "p-7"), "pong");
            assertEquals("pong", pong.getString("type"), pong.toString());
            assertEquals("p-7", pong.getString("ref"));
            assertEquals("pong", c.request(of("type", "ping"), "pong").getString("type"));
        }
    }

    /**
     * Protocol 1.3: the owner's topic reaches every member and later joins, a plain member cannot set
     * it; public rooms are listed by name prefix, paged, a private one never.
     */
    @Test
    void topicsAndTheDirectoryOfPublicRooms() throws Exception {
        String p = Api.newName("dir");
        String olga = Api.newName("olga");
        try (ChatClient o = user(olga); ChatClient m = user(Api.newName("mia"))) {
            o.joined(join(p + "-b"));
            o.joined(join(p + "-a"));
            o.joined(of("type", "join", "room", p + "-secret", "private", true));
            m.joined(join(p + "-b"));
            o.await(Replies.type("member_add"));

            assertEquals("plans", o.request(of("type", "set_topic", "room", p + "-b", "topic", " plans ", "ref", "t"), "topic_set")
                    .getString("topic"));
            JsonObject topic = m.await(Replies.type("topic"));
            assertEquals("plans", topic.getString("topic"));
            assertEquals(olga, topic.getString("by"));
            assertErrorFrame(m.request(of("type", "set_topic", "room", p + "-b", "topic", "mine", "ref", "t2"), "topic_set"),
                    "forbidden", "t2");
            assertEquals("plans", m.request(join(p + "-b"), "joined").getString("topic"));

            JsonObject all = m.request(of("type", "directory", "prefix", p, "ref", "d"), "directory");
            assertEquals("d", all.getString("ref"));
            assertFalse(all.getBoolean("more"));
            List<JsonObject> rooms = all.getJsonArray("rooms").getValuesAs(JsonObject.class);
            assertEquals(List.of(p + "-a", p + "-b"), rooms.stream().map(r -> r.getString("room")).toList(), "never the private room");
            assertEquals(1, rooms.get(0).getInt("members"));
            assertFalse(rooms.get(0).containsKey("topic"));
            assertEquals(2, rooms.get(1).getInt("members"));
            assertEquals("plans", rooms.get(1).getString("topic"));

            JsonObject first = m.request(of("type", "directory", "prefix", p, "limit", 1), "directory");
            assertTrue(first.getBoolean("more"));
            assertEquals(p + "-a", first.getJsonArray("rooms").getJsonObject(0).getString("room"));
            JsonObject next = m.request(of("type", "directory", "prefix", p, "after", p + "-a", "limit", 1), "directory");
            assertFalse(next.getBoolean("more"));
            assertEquals(p + "-b", next.getJsonArray("rooms").getJsonObject(0).getString("room"));
            for (ChatClient c : List.of(o, m)) {
                for (String frame : c.received) {
                    assertEquals(java.util.Set.of(), org.redischat.wire.AsyncApi.serverFrameProblems(frame), frame);
                }
            }
        }
    }

    /** Protocol 1.3: welcome counts a room's unread messages that mention the user, until they are read. */
    @Test
    void welcomeCountsUnreadMentions() throws Exception {
        String room = Api.newName("men");
        String amy = Api.newName("amy");
        String amyToken = Api.signUp(base(), amy);
        try (ChatClient a = ChatClient.connect(base(), amyToken); ChatClient b = user(Api.newName("bob"))) {
            a.joined(join(room));
            b.joined(join(room));
            b.request(send(room, "hi @" + amy.toUpperCase() + " and @" + amy, "m1"), "ack");
            b.request(send(room, "plain", "m2"), "ack");
            b.request(send(room, "@" + amy + ", see above; mail " + amy + "@example.com", "m3"), "ack");
        }
        ChatClient again = ChatClient.open(base(), amyToken);
        JsonObject r = again.next("welcome").getJsonArray("rooms").getJsonObject(0);
        assertEquals(2, r.getInt("mentions"));
        again.send(of("type", "read", "room", room, "id", 1));
        again.request(of("type", "ping", "ref", "p"), "pong"); // a socket's frames are handled in order
        again.close();
        ChatClient later = ChatClient.open(base(), amyToken);
        assertEquals(1, later.next("welcome").getJsonArray("rooms").getJsonObject(0).getInt("mentions"));
        later.send(of("type", "read", "room", room, "id", 3));
        later.request(of("type", "ping", "ref", "p"), "pong");
        later.close();
        ChatClient read = ChatClient.open(base(), amyToken);
        assertFalse(read.next("welcome").getJsonArray("rooms").getJsonObject(0).containsKey("mentions"), "none unread: left out");
        read.close();
    }

    /**
     * Protocol 1.8: an edit that names a member counts for them as a send would, one that drops the
     * name uncounts it, and a deleted message counts for nobody.
     */
    @Test
    void editsAndDeletesMoveTheMentionCount() throws Exception {
        String room = Api.newName("men");
        String amy = Api.newName("amy");
        String amyToken = Api.signUp(base(), amy);
        try (ChatClient a = ChatClient.connect(base(), amyToken); ChatClient b = user(Api.newName("bob"))) {
            a.joined(join(room));
            b.joined(join(room));
            long one = b.request(send(room, "hi @" + amy, "m1"), "ack").getInt("id");
            long two = b.request(send(room, "plain", "m2"), "ack").getInt("id");
            long three = b.request(send(room, "also plain", "m3"), "ack").getInt("id");
            assertEquals(1, mentionsOf(amyToken));
            b.request(of("type", "edit", "room", room, "id", two, "text", "plain, @" + amy), "edited");
            b.request(of("type", "edit", "room", room, "id", three, "text", "also plain, @" + amy), "edited");
            assertEquals(3, mentionsOf(amyToken), "two edits named her");
            b.request(of("type", "edit", "room", room, "id", three, "text", "also plain after all"), "edited");
            assertEquals(2, mentionsOf(amyToken), "an edit took her name out again");
            b.request(of("type", "delete", "room", room, "id", one), "deleted");
            assertEquals(1, mentionsOf(amyToken), "a deleted message mentions nobody");
        }
    }

    /**
     * Protocol 1.8: the owner makes a webhook for a named bot; a POST of text to its URL reaches the
     * room's sockets as the bot's message, at the webhook's rate; a member may not make one, a
     * person's name is not a bot's, and a revoked webhook posts no more.
     */
    @Test
    void anIncomingWebhookPostsAsABot() throws Exception {
        String room = Api.newName("hooks");
        String olga = Api.newName("olga");
        String olgaToken = Api.signUp(base(), olga);
        String ivan = Api.newName("ivan");
        String ivanToken = Api.signUp(base(), ivan);
        String bot = Api.newName("ci-bot");
        String hooks = "api/rooms/" + room + "/webhooks";
        try (ChatClient o = ChatClient.connect(base(), olgaToken); ChatClient i = ChatClient.connect(base(), ivanToken)) {
            o.joined(join(room));
            i.joined(join(room));
            assertEquals("forbidden", Api.postJsonAs(base(), hooks, ivanToken, "{\"name\":\"" + bot + "\"}").json().getString("error"));
            assertEquals(409, Api.postJsonAs(base(), hooks, olgaToken, "{\"name\":\"" + ivan + "\"}").status(), "a person's name");
            assertEquals(400, Api.postJsonAs(base(), hooks, olgaToken, "{\"name\":\"no one\"}").status());

            Api.Reply made = Api.postJsonAs(base(), hooks, olgaToken, "{\"name\":\"" + bot + "\"}");
            assertEquals(201, made.status(), made.body());
            URI url = URI.create(made.json().getString("url"));
            String id = made.json().getString("id");
            assertTrue(url.getPath().endsWith("/api/hooks/" + id + "/" + url.getPath().substring(url.getPath().lastIndexOf('/') + 1)), url.toString());
            assertTrue(i.await(Replies.member("member_add", bot)).getBoolean("bot", false), "marked as a bot's");
            assertEquals(List.of(id), Api.get(base(), hooks, olgaToken).json().getJsonArray("webhooks").stream()
                    .map(v -> v.asJsonObject().getString("id")).toList());
            assertFalse(Api.get(base(), hooks, olgaToken).body().contains(url.getPath()), "a list never shows the URL");

            Api.Reply posted = Api.post(url, url.getRawPath(), "{\"text\":\"build 42 passed\"}");
            assertEquals(201, posted.status(), posted.body());
            long messageId = posted.json().getJsonNumber("id").longValue();
            JsonObject m = i.await(messageId(messageId));
            assertEquals(bot, m.getString("from"));
            assertEquals("build 42 passed", m.getString("text"));
            assertEquals(400, Api.post(url, url.getRawPath(), "{\"text\":\"  \"}").status(), "a blank text");
            assertEquals(400, Api.post(url, url.getRawPath(), "[1]").status());
            assertEquals(404, Api.post(url, url.getRawPath() + "x", "{\"text\":\"hi\"}").status(), "a wrong secret");

            // an address that keeps guessing URLs is held off (429, Retry-After) after a burst of 20 misses;
            // another address still posts
            String guesser = "198.51.100." + (1 + new java.util.Random().nextInt(250));
            int held = 0;
            for (int n = 0; n < 25; n++) {
                Api.Reply r = Api.postFrom(url, url.getRawPath().substring(0, url.getRawPath().lastIndexOf('/') + 1) + "guess" + n,
                        "{\"text\":\"hi\"}", guesser);
                if (n < 20) {
                    assertEquals(404, r.status(), "within the burst of 20, miss " + n + ": " + r.body());
                } else if (r.status() == 429) {
                    held++;
                    assertTrue(Integer.parseInt(r.header("Retry-After")) >= 1);
                }
            }
            assertTrue(held >= 3, "held off " + held + " of the 5 past the burst");
            assertEquals(429, Api.postFrom(url, url.getRawPath(), "{\"text\":\"the right URL\"}", guesser).status(),
                    "held off whatever the URL, without a look-up");
            Api.Reply fromElsewhere = Api.postFrom(url, url.getRawPath(), "{\"text\":\"from elsewhere\"}", "198.51.100.251");
            assertEquals(201, fromElsewhere.status(), fromElsewhere.body());

            // the webhook's own rate: a burst of 10 (one used above), then 429 with Retry-After
            int refused = 0;
            for (int n = 0; n < 12; n++) {
                Api.Reply r = Api.post(url, url.getRawPath(), "{\"text\":\"burst " + n + "\"}");
                if (r.status() == 429) {
                    refused++;
                    assertTrue(Integer.parseInt(r.header("Retry-After")) >= 1);
                }
            }
            assertTrue(refused >= 2, "refused " + refused);

            assertEquals(204, Api.delete(base(), hooks + "/" + id, olgaToken).status());
            assertEquals(404, Api.post(url, url.getRawPath(), "{\"text\":\"after revoking\"}").status());
            assertEquals(404, Api.delete(base(), hooks + "/" + id, olgaToken).status());
            for (ChatClient c : List.of(o, i)) {
                for (String frame : c.received) {
                    assertEquals(java.util.Set.of(), org.redischat.wire.AsyncApi.serverFrameProblems(frame), frame);
                }
            }
        }
    }

    /**
     * Protocol 1.9: the operator's key (or a server administrator) issues a bot a token; the bot uses
     * the WebSocket as anyone, marked as a bot in member_add and joined; revoking its tokens closes its socket.
     */
    @Test
    void anAdministratorIssuesABotATokenForTheWebSocket() throws Exception {
        String room = Api.newName("deploys");
        String ivan = Api.newName("ivan");
        String ivanToken = Api.signUp(base(), ivan);
        String bot = Api.newName("deploy-bot");
        String request = "{\"name\":\"" + bot + "\",\"days\":30}";
        assertEquals(401, Api.post(base(), "api/bots", request).status(), "no token");
        assertEquals("forbidden", Api.postJsonAs(base(), "api/bots", ivanToken, request).json().getString("error"), "not an administrator");
        assertEquals(409, Api.postJsonAs(base(), "api/bots", Api.ADMIN_KEY, "{\"name\":\"" + ivan + "\"}").status(), "a person's name");
        assertEquals(400, Api.postJsonAs(base(), "api/bots", Api.ADMIN_KEY, "{\"name\":\"no one\"}").status());
        assertEquals(400, Api.postJsonAs(base(), "api/bots", Api.ADMIN_KEY, "{\"name\":\"" + bot + "\",\"days\":0}").status());
        assertEquals(400, Api.postJsonAs(base(), "api/bots", Api.ADMIN_KEY, "{\"name\":\"" + bot + "\",\"days\":1.5}").status());

        Api.Reply issued = Api.postJsonAs(base(), "api/bots", Api.ADMIN_KEY, request);
        assertEquals(201, issued.status(), issued.body());
        assertEquals(bot, issued.json().getString("username"));
        String botToken = issued.json().getString("token");
        assertTrue(issued.json().getJsonNumber("expires").longValue() > System.currentTimeMillis() + 29 * 24 * 3600 * 1000L);
        assertEquals(401, Api.post(base(), "api/sessions", Api.credentials(bot, "bot")).status(), "no password opens it");

        try (ChatClient i = ChatClient.connect(base(), ivanToken); ChatClient b = ChatClient.connect(base(), botToken)) {
            assertEquals(bot, b.user());
            i.joined(join(room));
            JsonObject botJoined = b.joined(join(room));
            assertEquals(List.of(bot), botJoined.getJsonArray("bots").getValuesAs(jakarta.json.JsonString.class).stream()
                    .map(jakarta.json.JsonString::getString).toList(), "joined names the bots among the members");
            assertTrue(i.await(Replies.member("member_add", bot)).getBoolean("bot", false), "member_add marks the bot");
            assertEquals(bot, i.joined(join(room)).getJsonArray("bots").getString(0), "another member's join names the bot too");
            long id = b.acked(of("type", "send", "room", room, "text", "deployed 1.9", "ref", "d-1"));
            assertEquals(bot, i.await(messageId(id)).getString("from"));

            Api.Reply listed = Api.get(base(), "api/bots?limit=500", Api.ADMIN_KEY);
            assertEquals(200, listed.status(), listed.body());
            assertTrue(listed.json().getJsonArray("bots").stream().map(JsonValue::asJsonObject)
                    .anyMatch(o -> bot.equals(o.getString("username")) && o.getInt("tokens") == 1), listed.body());
            assertEquals(403, Api.get(base(), "api/bots", ivanToken).status());
            assertEquals(400, Api.get(base(), "api/bots?limit=0", Api.ADMIN_KEY).status());

            assertEquals(404, Api.delete(base(), "api/bots/" + ivan + "/tokens", Api.ADMIN_KEY).status(), "a person is no bot");
            assertEquals(204, Api.delete(base(), "api/bots/" + bot + "/tokens", Api.ADMIN_KEY).status());
            assertEquals(1008, b.awaitClose(), "the revoked bot's socket is closed");
            assertEquals(401, Api.get(base(), "api/sessions/current", botToken).status());
            for (ChatClient c : List.of(i)) {
                for (String frame : c.received) {
                    assertEquals(java.util.Set.of(), org.redischat.wire.AsyncApi.serverFrameProblems(frame), frame);
                }
            }
        }
    }

    /** The {@code mentions} of the user's only room in a new socket's welcome (0 when left out). */
    private int mentionsOf(String token) throws Exception {
        try (ChatClient c = ChatClient.open(base(), token)) {
            return c.next("welcome").getJsonArray("rooms").getJsonObject(0).getInt("mentions", 0);
        }
    }

    /**
     * Protocol 1.3: a member's join link admits a stranger to a private room, as often as it is used
     * until it expires; a forged one, or one for another room, does not; a non-member gets none.
     */
    @Test
    void aJoinLinkAdmitsToAPrivateRoom() throws Exception {
        String room = Api.newName("linked");
        String olgaToken = Api.signUp(base(), Api.newName("olga"));
        String strangerToken = Api.signUp(base(), Api.newName("sam"));
        try (ChatClient o = ChatClient.connect(base(), olgaToken); ChatClient s = ChatClient.connect(base(), strangerToken)) {
            o.joined(of("type", "join", "room", room, "private", true));
            assertError(Api.postAs(base(), "api/rooms/" + room + "/invites", strangerToken), 403);
            assertEquals("not_member", Api.postAs(base(), "api/rooms/" + room + "/invites", strangerToken).json().getString("error"));
            assertError(Api.postAs(base(), "api/rooms/" + room + "/invites", "not-a-token"), 401);
            assertError(Api.postAs(base(), "api/rooms/dm:a:b/invites", olgaToken), 400);

            Api.Reply issued = Api.postAs(base(), "api/rooms/" + room + "/invites", olgaToken);
            assertEquals(201, issued.status(), issued.body());
            String invite = issued.json().getString("invite");
            assertEquals(room, issued.json().getString("room"));
            assertTrue(issued.json().getJsonNumber("expires").longValue() > System.currentTimeMillis() + 6 * 24 * 3600 * 1000L);

            String forged = invite.substring(0, invite.length() - 2) + (invite.endsWith("A") ? "BB" : "AA");
            assertErrorFrame(s.request(of("type", "join", "room", room, "invite", forged, "ref", "f"), "joined"), "forbidden", "f");
            assertErrorFrame(s.request(of("type", "join", "room", room + "x", "invite", invite, "ref", "o"), "joined"),
                    "forbidden", "o");
            JsonObject in = s.request(of("type", "join", "room", room, "invite", invite), "joined");
            assertTrue(in.getBoolean("private"));
            assertEquals("member", in.getString("role"));
            s.request(of("type", "leave", "room", room), "left");
            s.joined(of("type", "join", "room", room, "invite", invite)); // not used up
        }
    }

    @Test
    void typingGoesToTheOtherMembersAtMostEveryTwoSeconds() throws Exception {
        String room = Api.newName("typing");
        String amy = Api.newName("amy");
        String amyToken = Api.signUp(base(), amy);
        try (ChatClient a1 = ChatClient.connect(base(), amyToken); ChatClient a2 = ChatClient.connect(base(), amyToken);
                ChatClient b = user(Api.newName("bo"))) {
            a1.joined(join(room));
            b.joined(join(room));
            a1.await(f -> "member_add".equals(f.getString("type")) && !amy.equals(f.getString("user")));
            for (int i = 0; i < 3; i++) {
                a1.send(of("type", "typing", "room", room));
            }
            JsonObject t = b.awaitType("typing");
            assertEquals(amy, t.getString("user"));
            assertEquals(room, t.getString("room"));
            // a message sent after the typings follows their events on the room's channel
            long fence = a1.request(send(room, "fence", "t-fence"), "ack").getInt("id");
            for (ChatClient c : List.of(a1, a2, b)) {
                assertTrue(c.takeThrough(messageId(fence)).stream().noneMatch(f -> "typing".equals(f.getString("type"))),
                        "one typing per 2 s, and never to the typist's own sockets");
            }
            Thread.sleep(2100); // the throttle's interval
            a2.send(of("type", "typing", "room", room));
            assertEquals(amy, b.awaitType("typing").getString("user"));
        }
    }

    @Test
    void readMarksFollowTheUserToEverySocketAndIntoWelcome() throws Exception {
        String room = Api.newName("read");
        String token = Api.signUp(base(), Api.newName("rita"));
        try (ChatClient a1 = ChatClient.connect(base(), token); ChatClient a2 = ChatClient.connect(base(), token)) {
            a1.joined(join(room));
            for (int i = 1; i <= 3; i++) {
                a1.request(send(room, "m" + i, "r" + i), "ack");
            }
            a1.send(of("type", "read", "room", room, "id", 2));
            JsonObject mark = a2.awaitType("read");
            assertEquals(room, mark.getString("room"));
            assertEquals(2, mark.getInt("id"));
            a1.send(of("type", "read", "room", room, "id", 1)); // never backwards: no frame
            a1.send(of("type", "read", "room", room, "id", 99)); // capped at the newest id
            assertEquals(3, a2.awaitType("read").getInt("id"));
            // a message sent after the marks follows their events on the room's channel
            long fence = a1.request(send(room, "fence", "r-fence"), "ack").getInt("id");
            assertTrue(a1.takeThrough(messageId(fence)).stream().noneMatch(f -> "read".equals(f.getString("type"))),
                    "not to the marking socket");
            assertTrue(a2.takeThrough(messageId(fence)).stream().noneMatch(f -> "read".equals(f.getString("type"))));
        }
        ChatClient again = ChatClient.open(base(), token);
        JsonObject r = again.next("welcome").getJsonArray("rooms").getJsonObject(0);
        assertEquals(4, r.getInt("lastId"), "the three messages and the fence");
        assertEquals(3, r.getInt("lastRead"));
        again.close();
    }

    // ---- errors and limits

    @Test
    void malformedFramesAreBadRequestsAndTheSocketStaysOpen() throws Exception {
        String room = Api.newName("err");
        try (ChatClient c = user(Api.newName("eve"))) {
            c.joined(join(room));
            assertBad(c, "not json", null);
            assertBad(c, "[1,2]", null);
            assertBad(c, "{}", null);
            assertBad(c, "{\"type\":\"dance\",\"ref\":\"u\"}", "u");
            assertBad(c, "{\"type\":7}", null);
            assertBad(c, "{\"type\":\"join\",\"ref\":\"r\"}", "r");
            assertBad(c, of("type", "join", "room", "-bad"), null);
            assertBad(c, of("type", "join", "room", "a".repeat(65)), null);
            assertBad(c, of("type", "join", "room", "has space"), null);
            assertBad(c, of("type", "send", "room", room, "text", "x", "ref", ""), null);
            assertBad(c, of("type", "send", "room", room, "text", "x", "ref", "r".repeat(65)), null);
            assertBad(c, "{\"type\":\"send\",\"room\":\"" + room + "\",\"text\":\"x\",\"ref\":5}", null);
            assertBad(c, of("type", "send", "room", room, "text", "", "ref", "e"), "e");
            assertBad(c, of("type", "send", "room", room, "text", " \n\t ", "ref", "e2"), "e2");
            assertBad(c, "{\"type\":\"send\",\"room\":\"" + room + "\",\"text\":42}", null);
            assertBad(c, of("type", "history", "room", room, "limit", 0), null);
            assertBad(c, of("type", "history", "room", room, "limit", 201), null);
            assertBad(c, of("type", "history", "room", room, "before", 0), null);
            assertBad(c, "{\"type\":\"history\",\"room\":\"" + room + "\",\"before\":1.5}", null);
            assertBad(c, "{\"type\":\"history\",\"room\":\"" + room + "\",\"before\":\"12\"}", null);
            assertBad(c, "{\"type\":\"join\",\"room\":\"" + room + "\",\"since\":-1}", null);
            assertBad(c, "{\"type\":\"join\",\"room\":\"" + room + "\",\"since\":1e999999999}", null);
            assertBad(c, "{\"type\":\"read\",\"room\":\"" + room + "\"}", null);
            assertBad(c, "[".repeat(10000), null);

            String tooLong = "é".repeat(4001);
            assertErrorFrame(c.request(send(room, tooLong, "long"), "ack"), "too_long", "long");
            // 4000 code points that are 8000 UTF-16 units still fit
            String emoji = "😀".repeat(4000);
            JsonObject ack = c.request(send(room, emoji, "emoji"), "ack");
            assertEquals("emoji", ack.getString("ref"));
            assertEquals(emoji, c.awaitType("message").getString("text"));

            c.socket().sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
            assertEquals("bad_request", c.awaitType("error").getString("code"));

            // form is checked before rights
            assertErrorFrame(c.request(send(Api.newName("nomember"), "", "f"), "ack"), "bad_request", "f");
            String stranger = Api.newName("nomember");
            for (String type : List.of("history", "leave", "typing")) {
                c.send(of("type", type, "room", stranger, "ref", type));
                assertErrorFrame(c.awaitType("error"), "not_member", type);
            }
            c.send(of("type", "read", "room", stranger, "id", 3, "ref", "rd"));
            assertErrorFrame(c.awaitType("error"), "not_member", "rd");
            assertErrorFrame(c.request(send(stranger, "hi", "nm"), "ack"), "not_member", "nm");

            // after all that, the socket still works
            assertEquals(2, c.request(send(room, "still here", "ok"), "ack").getInt("id"));
            c.awaitType("message");
            // typing and read of a member are accepted without an answer
            c.drain();
            c.send(of("type", "typing", "room", room));
            c.send(of("type", "read", "room", room, "id", 2));
            // a socket's frames are handled in order: an answer to either would come before the next send's ack
            c.send(send(room, "fence", "tf"));
            List<JsonObject> before = c.takeThrough(f -> "ack".equals(f.getString("type")));
            assertTrue(before.stream().allMatch(f -> "message".equals(f.getString("type")) || "ack".equals(f.getString("type"))),
                    before.toString());
        }
    }

    @Test
    void aFrameOver64KiBClosesWith1009() throws Exception {
        try (ChatClient c = user(Api.newName("big"))) {
            c.send(of("type", "send", "room", "x", "text", "a".repeat(70_000)));
            assertEquals(1009, c.awaitClose());
        }
    }

    @Test
    void sendsOverTheRateAreRefused() throws Exception {
        String room = Api.newName("rate");
        try (ChatClient c = user(Api.newName("fast"))) {
            c.joined(join(room));
            for (int i = 0; i < 80; i++) {
                c.send(send(room, "m" + i, "q" + i));
            }
            int acked = 0;
            int limited = 0;
            while (acked + limited < 80) {
                JsonObject f = c.await(x -> "ack".equals(x.getString("type")) || "error".equals(x.getString("type")));
                if ("ack".equals(f.getString("type"))) {
                    acked++;
                } else {
                    assertEquals("rate_limited", f.getString("code"));
                    limited++;
                }
            }
            assertTrue(acked >= 40, "the burst of 40 passes: " + acked);
            assertTrue(limited >= 5, "the rest is limited: " + limited);
        }
    }

    @Test
    void concurrentSendersAreDeliveredInIdOrderOnce() throws Exception {
        String room = Api.newName("order");
        List<ChatClient> senders = new ArrayList<>();
        try (ChatClient reader = user(Api.newName("reader"))) {
            reader.joined(join(room));
            for (int s = 0; s < 3; s++) {
                ChatClient c = user(Api.newName("s" + s));
                c.joined(join(room));
                senders.add(c);
            }
            for (int i = 0; i < 30; i++) {
                for (ChatClient c : senders) {
                    c.send(send(room, "m" + i, "o" + i));
                }
            }
            List<Integer> got = new ArrayList<>();
            while (got.size() < 90) {
                got.add(reader.awaitType("message").getInt("id"));
            }
            for (int i = 0; i < 90; i++) {
                assertEquals(i + 1, got.get(i));
            }
            ChatClient last = senders.get(0);
            last.send(send(room, "fence", "o-fence"));
            long fence = last.await(f -> "ack".equals(f.getString("type")) && "o-fence".equals(f.getString("ref"))).getInt("id");
            assertEquals(List.of(fence), reader.takeThrough(messageId(fence)).stream()
                    .filter(f -> "message".equals(f.getString("type"))).map(f -> (long) f.getInt("id")).toList(), "no duplicates");
        } finally {
            senders.forEach(ChatClient::close);
        }
    }

    /**
     * One socket's frames take effect and are answered in the order sent, even when it does not wait
     * for answers (a send's script runs while the container thread is already free): 30 sends, then a
     * history, written back to back — acked in that order with ids in that order, and the history,
     * asked last, holds all 30.
     */
    @Test
    void aSocketsPipelinedSendsAreStoredAndAnsweredInTheOrderSent() throws Exception {
        String room = Api.newName("pipe");
        try (ChatClient c = user(Api.newName("pip")); ChatClient reader = user(Api.newName("reader"))) {
            c.joined(join(room));
            reader.joined(join(room));
            for (int i = 0; i < 30; i++) {
                c.send(send(room, "p" + i, "p" + i));
            }
            c.send(of("type", "history", "room", room, "ref", "h"));
            List<JsonObject> answers = c.takeThrough(Replies.type("history"));
            List<String> order = answers.stream().filter(f -> List.of("ack", "history", "error").contains(f.getString("type")))
                    .map(f -> f.getString("type") + ":" + f.getString("ref", "")).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                expected.add("ack:p" + i);
            }
            expected.add("history:");
            assertEquals(expected, order, "answers in the order of the frames");
            List<Integer> acked = answers.stream().filter(f -> "ack".equals(f.getString("type"))).map(f -> f.getInt("id")).toList();
            for (int i = 1; i < acked.size(); i++) {
                assertEquals(acked.get(i - 1) + 1, acked.get(i), "ids in the order sent");
            }
            assertEquals(30, answers.get(answers.size() - 1).getJsonArray("messages").size(), "the history saw every send before it");
            for (int i = 0; i < 30; i++) {
                assertEquals("p" + i, reader.awaitType("message").getString("text"));
            }
        }
    }
}
