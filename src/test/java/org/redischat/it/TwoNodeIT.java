package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redischat.it.Frames.join;
import static org.redischat.it.Frames.of;
import static org.redischat.it.Frames.send;
import static org.redischat.it.Replies.messageId;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redischat.accounts.Tokens;
import org.redischat.redis.Keys;
import org.redischat.redis.TestRedis;
import org.redisson.api.RedissonClient;

/**
 * Two Payara Micro nodes on one Redis: what is sent on one reaches every member socket on both. And
 * the same WAR on WildFly next to them, as a third node.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeIT {

    private static PayaraMicroNode nodeB;

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL url;

    @BeforeAll
    static void startSecondNode() throws Exception {
        nodeB = PayaraMicroNode.start(Integer.getInteger("it.port2", 18081));
    }

    @AfterAll
    static void stopSecondNode() throws Exception {
        if (nodeB != null) {
            nodeB.close();
        }
    }

    private URI a() throws Exception {
        return url.toURI();
    }

    @Test
    void messagesFromBothNodesReachEverySocketInIdOrderOnce() throws Exception {
        String room = Api.newName("cross");
        String alice = Api.newName("alice");
        String bob = Api.newName("bob");
        String aliceToken = Api.signUp(a(), alice);
        String bobToken = Api.signUp(nodeB.base, bob);
        List<ChatClient> all = new ArrayList<>();
        try {
            ChatClient aliceOnA = ChatClient.connect(a(), aliceToken);
            ChatClient aliceOnB = ChatClient.connect(nodeB.base, aliceToken);
            ChatClient bobOnB = ChatClient.connect(nodeB.base, bobToken);
            ChatClient bobOnA = ChatClient.connect(a(), bobToken);
            all.addAll(List.of(aliceOnA, aliceOnB, bobOnB, bobOnA));

            aliceOnA.joined(join(room));
            JsonObject add = aliceOnB.awaitType("member_add");
            assertEquals(alice, add.getString("user"), "member_add reaches the user's socket on the other node");
            bobOnB.joined(join(room));
            assertEquals(bob, aliceOnA.await(f -> "member_add".equals(f.getString("type"))
                    && bob.equals(f.getString("user"))).getString("user"), "member_add crosses nodes");

            int perSender = 30;
            CompletableFuture<Void> fromA = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < perSender; i++) {
                    aliceOnA.request(send(room, "a" + i, "a" + i), "ack");
                }
            });
            CompletableFuture<Void> fromB = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < perSender; i++) {
                    bobOnB.request(send(room, "b" + i, "b" + i), "ack");
                }
            });
            CompletableFuture.allOf(fromA, fromB).join();

            for (ChatClient c : all) {
                List<Long> ids = new ArrayList<>();
                while (ids.size() < 2 * perSender) {
                    ids.add(c.awaitType("message").getJsonNumber("id").longValue());
                }
                for (int i = 0; i < ids.size(); i++) {
                    assertEquals(i + 1, ids.get(i), "in id order, no gap, on every socket");
                }
            }
            long fence = aliceOnA.request(send(room, "fence", "fence"), "ack").getInt("id");
            for (ChatClient c : all) {
                assertEquals(List.of(fence), c.takeThrough(messageId(fence)).stream()
                        .filter(f -> "message".equals(f.getString("type"))).map(f -> (long) f.getInt("id")).toList(),
                        "no duplicates");
            }

            // leave on B: the member on A is told
            bobOnB.request(of("type", "leave", "room", room), "left");
            assertEquals(bob, aliceOnA.awaitType("member_remove").getString("user"));
            assertEquals(bob, bobOnA.awaitType("member_remove").getString("user"), "the leaver's socket on the other node");
        } finally {
            all.forEach(ChatClient::close);
        }
    }

    /**
     * Protocol 1.4 on two nodes: edits, deletes and reactions reach every member's sockets on both
     * nodes as the message's whole new state; the rights are checked (only the author edits; the
     * author, a moderator or the owner deletes; members only); a member who was away catches up with
     * {@code join} since its last id and {@code changes} after its last change number, and then holds
     * exactly what the others hold; a client that knows nothing of changes still gets every message
     * once, in id order, the deleted one as a tombstone.
     */
    /**
     * Protocol 1.9: replies made on one node while a member is away are recovered on the other after a
     * reconnect exactly as messages and changes are (join with since, then changes), and the welcome
     * counts the thread as unread for its author until they read it.
     */
    @Test
    void threadsAreRecoveredOnTheOtherNodeAfterAReconnect() throws Exception {
        String room = Api.newName("thread");
        String olgaToken = Api.signUp(a(), Api.newName("olga"));
        String ivanToken = Api.signUp(nodeB.base, Api.newName("ivan"));
        long root;
        long seenId;
        long seenChange;
        String epoch;
        try (ChatClient o = ChatClient.connect(a(), olgaToken)) {
            o.joined(join(room));
            try (ChatClient i = ChatClient.connect(nodeB.base, ivanToken)) {
                JsonObject in = i.joined(join(room));
                epoch = in.getString("epoch");
                root = i.acked(send(room, "who takes the release?", "q"));
                long r0 = o.acked(of("type", "send", "room", room, "text", "me", "thread", root, "ref", "r0"));
                JsonObject live = i.await(messageId(r0));
                assertEquals(root, live.getJsonNumber("thread").longValue(), "a reply reaches the other node as a message with its thread");
                JsonObject rootChanged = i.await(f -> "changed".equals(f.getString("type")) && f.getJsonNumber("id").longValue() == root);
                assertEquals(1, rootChanged.getInt("replies"));
                JsonObject read = i.request(of("type", "thread", "room", room, "id", root, "ref", "t0"), "thread");
                assertTrue(read.getBoolean("unread", false), "ivan wrote the root: olga's reply was unread for him");
                seenId = r0;
                seenChange = rootChanged.getJsonNumber("change").longValue();
            }
            // ivan is away: olga replies twice and writes in the room
            long r1 = o.acked(of("type", "send", "room", room, "text", "friday then", "thread", root, "ref", "r1"));
            long r2 = o.acked(of("type", "send", "room", room, "text", "with notes", "thread", root, "ref", "r2"));
            long plain = o.acked(send(room, "unrelated", "p"));
            Replies.assertErrorFrame(o.request(of("type", "send", "room", room, "text", "x", "thread", r1, "ref", "n"), "ack"),
                    "bad_request", "n");
            Replies.assertErrorFrame(o.request(of("type", "send", "room", room, "text", "x", "thread", 999999, "ref", "nf"), "ack"),
                    "not_found", "nf");

            try (ChatClient i = ChatClient.open(nodeB.base, ivanToken)) {
                JsonObject welcome = i.next("welcome");
                JsonObject entry = welcome.getJsonArray("rooms").stream().map(JsonValue::asJsonObject)
                        .filter(e -> room.equals(e.getString("room"))).findFirst().orElseThrow();
                assertEquals(1, entry.getInt("threads"), "one thread with unread replies");
                JsonObject back = i.joined(of("type", "join", "room", room, "since", seenId, "epoch", epoch));
                assertTrue(back.getBoolean("recovered"));
                assertEquals(List.of(r1, r2, plain), back.getJsonArray("messages").stream()
                        .map(v -> v.asJsonObject().getJsonNumber("id").longValue()).toList(), "every message after since, in id order");
                assertEquals(root, back.getJsonArray("messages").getJsonObject(0).getJsonNumber("thread").longValue());
                JsonObject changes = i.request(of("type", "changes", "room", room, "after", seenChange, "ref", "c"), "changes");
                JsonObject rootNow = changes.getJsonArray("messages").getJsonObject(0);
                assertEquals(root, rootNow.getJsonNumber("id").longValue());
                assertEquals(3, rootNow.getInt("replies"));
                assertEquals(r2, rootNow.getJsonNumber("lastReply").longValue());
                JsonObject page = i.request(of("type", "thread", "room", room, "id", root, "after", seenId, "ref", "t1"), "thread");
                assertEquals(List.of(r1, r2), page.getJsonArray("messages").stream()
                        .map(v -> v.asJsonObject().getJsonNumber("id").longValue()).toList());
                assertTrue(page.getBoolean("unread", false));
                for (String frame : i.received) {
                    assertEquals(java.util.Set.of(), org.redischat.wire.AsyncApi.serverFrameProblems(frame), frame);
                }
            }
            try (ChatClient i = ChatClient.open(nodeB.base, ivanToken)) {
                assertFalse(i.next("welcome").getJsonArray("rooms").stream().map(JsonValue::asJsonObject)
                        .filter(e -> room.equals(e.getString("room"))).findFirst().orElseThrow().containsKey("threads"), "read now");
            }
        }
    }

    /**
     * Protocol 1.9: a search on one node finds what was sent and edited on the other, as it is now, and
     * nothing of a deleted message, an edit's old text or a room the searcher is not in.
     */
    @Test
    void aSearchOnOneNodeFindsWhatTheOtherStoredAndNothingItMayNotRead() throws Exception {
        String room = Api.newName("search");
        String other = Api.newName("search");
        String hidden = Api.newName("hidden");
        String olgaToken = Api.signUp(a(), Api.newName("olga"));
        String ivanToken = Api.signUp(nodeB.base, Api.newName("ivan"));
        String eveToken = Api.signUp(a(), Api.newName("eve"));
        try (ChatClient o = ChatClient.connect(a(), olgaToken); ChatClient i = ChatClient.connect(nodeB.base, ivanToken);
                ChatClient e = ChatClient.connect(a(), eveToken)) {
            o.joined(join(room));
            i.joined(join(room));
            i.joined(join(other));
            e.joined(of("type", "join", "room", hidden, "private", true));
            long kept = o.acked(send(room, "Release 2.0 is OUT", "1"));
            long edited = o.acked(send(room, "release notes draft", "2"));
            long deleted = o.acked(send(room, "release candidate broken", "3"));
            long mine = i.acked(send(other, "release party friday", "4"));
            e.acked(send(hidden, "release secrets", "5"));
            o.request(of("type", "edit", "room", room, "id", edited, "text", "notes are done", "ref", "e"), "edited");
            o.request(of("type", "delete", "room", room, "id", deleted, "ref", "d"), "deleted");

            JsonObject everywhere = i.request(of("type", "search", "text", "RELEASE", "ref", "s1"), "search");
            assertEquals(room.compareTo(other) < 0 ? List.of(kept, mine) : List.of(mine, kept), everywhere.getJsonArray("messages").stream()
                    .map(v -> v.asJsonObject().getJsonNumber("id").longValue()).toList(), everywhere.toString());
            assertFalse(everywhere.getBoolean("more"));
            JsonObject byEdit = i.request(of("type", "search", "room", room, "text", "notes done", "ref", "s2"), "search");
            assertEquals(List.of("notes are done"), byEdit.getJsonArray("messages").stream()
                    .map(v -> v.asJsonObject().getString("text")).toList());
            assertEquals(0, i.request(of("type", "search", "room", room, "text", "draft", "ref", "s3"), "search")
                    .getJsonArray("messages").size(), "an edit's old text is not found");
            Replies.assertErrorFrame(i.request(of("type", "search", "room", hidden, "text", "release", "ref", "s4"), "search"),
                    "not_member", "s4");
            Replies.assertErrorFrame(i.request(of("type", "search", "ref", "s5"), "search"), "bad_request", "s5");
            for (String frame : i.received) {
                assertEquals(java.util.Set.of(), org.redischat.wire.AsyncApi.serverFrameProblems(frame), frame);
            }
        }
    }

    @Test
    void editsDeletesAndReactionsReachEveryNodeAndAreRecoveredAfterAReconnect() throws Exception {
        String room = Api.newName("edits");
        String olga = Api.newName("olga");
        String ivan = Api.newName("ivan");
        String cara = Api.newName("cara");
        String mal = Api.newName("mal");
        String olgaToken = Api.signUp(a(), olga);
        String ivanToken = Api.signUp(a(), ivan);
        String caraToken = Api.signUp(a(), cara);
        String malToken = Api.signUp(a(), mal);
        try (ChatClient o = ChatClient.connect(a(), olgaToken); ChatClient i = ChatClient.connect(nodeB.base, ivanToken);
                ChatClient m = ChatClient.connect(nodeB.base, malToken)) {
            assertEquals(0, o.request(join(room), "joined").getInt("change"), "no change yet");
            i.joined(join(room));
            long m1 = o.request(send(room, "helo", "1"), "ack").getInt("id");
            long m2 = o.request(send(room, "lunch at noon", "2"), "ack").getInt("id");
            long m3 = o.request(send(room, "a secret", "3"), "ack").getInt("id");
            long i1 = i.request(send(room, "ok", "4"), "ack").getInt("id");
            String epoch;
            long caraLast;
            long caraChange = 0;
            try (ChatClient c = ChatClient.connect(a(), caraToken)) {
                JsonObject in = c.request(join(room), "joined");
                epoch = in.getString("epoch");
                caraLast = i1;

                // refusals change nothing and reach nobody
                Replies.assertErrorFrame(i.request(of("type", "edit", "room", room, "id", m1, "text", "mine now", "ref", "e"),
                        "edited"), "forbidden", "e");
                Replies.assertErrorFrame(i.request(of("type", "delete", "room", room, "id", m1, "ref", "d"), "deleted"),
                        "forbidden", "d");
                Replies.assertErrorFrame(m.request(of("type", "react", "room", room, "id", m1, "emoji", "x", "ref", "r"), "reacted"),
                        "not_member", "r");
                Replies.assertErrorFrame(m.request(of("type", "changes", "room", room, "after", 0, "ref", "c"), "changes"),
                        "not_member", "c");
                Replies.assertErrorFrame(o.request(of("type", "edit", "room", room, "id", 999, "text", "x", "ref", "n"), "edited"),
                        "not_found", "n");

                // an edit on node A reaches every socket on both nodes, after the messages before it
                JsonObject edited = o.request(of("type", "edit", "room", room, "id", m1, "text", "hello", "ref", "e1"), "edited");
                assertEquals(m1, edited.getInt("id"));
                assertEquals("e1", edited.getString("ref"));
                for (ChatClient x : List.of(o, i, c)) {
                    JsonObject changed = x.await(Replies.type("changed"));
                    assertEquals(m1, changed.getInt("id"));
                    assertEquals("hello", changed.getString("text"));
                    assertEquals(olga, changed.getString("from"));
                    assertTrue(changed.getJsonNumber("edited").longValue() > 0);
                    assertEquals(1, changed.getInt("change"));
                }
                // a reaction on node B
                JsonObject reacted = i.request(of("type", "react", "room", room, "id", m2, "emoji", "👍"), "reacted");
                assertTrue(reacted.getBoolean("on"));
                assertEquals("👍", reacted.getString("emoji"));
                for (ChatClient x : List.of(o, i, c)) {
                    JsonObject changed = x.await(Replies.type("changed"));
                    assertEquals(m2, changed.getInt("id"));
                    assertEquals("👍", changed.getJsonArray("reactions").getJsonObject(0).getString("emoji"));
                    assertEquals(List.of(ivan), Replies.strings(changed.getJsonArray("reactions").getJsonObject(0), "users"));
                    if (x == c) {
                        caraChange = changed.getInt("change"); // the newest change cara saw
                    }
                }
                assertEquals(2, caraChange);
                assertDescribed(c);
            }
            // while cara is away: an edit, a delete by the owner of ivan's message, a reaction, a new message
            o.request(of("type", "edit", "room", room, "id", m2, "text", "lunch at one"), "edited");
            o.request(of("type", "delete", "room", room, "id", i1), "deleted");
            i.request(of("type", "react", "room", room, "id", m1, "emoji", "🎉"), "reacted");
            long m4 = o.request(send(room, "see you", "5"), "ack").getInt("id");
            o.request(of("type", "delete", "room", room, "id", m3), "deleted");
            i.await(messageId(m4));

            try (ChatClient c = ChatClient.connect(nodeB.base, caraToken)) { // back, on the other node
                JsonObject back = c.request(of("type", "join", "room", room, "since", caraLast, "epoch", epoch), "joined");
                assertTrue(back.getBoolean("recovered"));
                assertEquals(List.of((int) m4), Replies.ids(back));
                long head = back.getInt("change");
                assertEquals(6, head, "two before, four while away");
                JsonObject missed = c.request(of("type", "changes", "room", room, "after", caraChange, "ref", "c1"), "changes");
                assertEquals("c1", missed.getString("ref"));
                assertFalse(missed.getBoolean("more"));
                assertEquals(head, missed.getInt("change"));
                // each changed message once, as it is now, in the order of its latest change: m2@3, i1@4, m1@5, m3@6
                assertEquals(List.of((int) m2, (int) i1, (int) m1, (int) m3), Replies.ids(missed));
                JsonObject two = missed.getJsonArray("messages").getJsonObject(0);
                assertEquals("lunch at one", two.getString("text"));
                assertEquals(List.of(ivan), Replies.strings(two.getJsonArray("reactions").getJsonObject(0), "users"));
                JsonObject gone = missed.getJsonArray("messages").getJsonObject(1);
                assertTrue(gone.getBoolean("deleted"));
                assertEquals("", gone.getString("text"));
                assertEquals(ivan, gone.getString("from"));

                // history and a join carry the current state; a client that knows nothing of changes
                // still gets every message once, in id order, with no gap
                JsonObject all = c.request(of("type", "join", "room", room, "since", 0), "joined");
                assertEquals(List.of((int) m1, (int) m2, (int) m3, (int) i1, (int) m4), Replies.ids(all));
                JsonObject first = all.getJsonArray("messages").getJsonObject(0);
                assertEquals("hello", first.getString("text"));
                assertEquals("🎉", first.getJsonArray("reactions").getJsonObject(0).getString("emoji"));
                JsonObject history = c.request(of("type", "history", "room", room), "history");
                assertEquals(Replies.ids(all), Replies.ids(history));
                assertTrue(history.getJsonArray("messages").getJsonObject(2).getBoolean("deleted"));
                assertFalse(history.getJsonArray("messages").getJsonObject(4).containsKey("edited"), "unchanged: no mark");

                // live again: a reaction taken back reaches the returned member on node B
                i.request(of("type", "react", "room", room, "id", m1, "emoji", "🎉"), "reacted");
                JsonObject off = c.await(Replies.type("changed"));
                assertEquals(m1, off.getInt("id"));
                assertFalse(off.containsKey("reactions"), "nobody reacts any more");
                assertEquals(7, off.getInt("change"));
                assertDescribed(c);
            }
            assertDescribed(o, i, m);
        }
    }

    /** Every frame these clients received is one the AsyncAPI document describes (the script's changed frames included). */
    private static void assertDescribed(ChatClient... clients) {
        for (ChatClient c : clients) {
            for (String frame : c.received) {
                assertEquals(java.util.Set.of(), org.redischat.wire.AsyncApi.serverFrameProblems(frame), frame);
            }
        }
    }

    /**
     * Protocol 1.3 on two nodes: a private room tells a stranger nothing but {@code forbidden}; an
     * invitation admits once; the owner names a moderator; a plain member removes nobody; a
     * moderator's removal and the owner's ban take the user's sockets out of the room on both nodes,
     * and neither can read or rejoin it. Every frame is one the AsyncAPI document describes.
     */
    @Test
    void aPrivateRoomAdmitsOnlyTheInvitedAndRemovalsReachEveryNode() throws Exception {
        String room = Api.newName("priv");
        String olga = Api.newName("olga");
        String ivan = Api.newName("ivan");
        String mal = Api.newName("mal");
        String olgaToken = Api.signUp(a(), olga);
        String ivanToken = Api.signUp(a(), ivan);
        String malToken = Api.signUp(a(), mal);
        List<ChatClient> all = new ArrayList<>();
        try (ChatClient o = ChatClient.connect(a(), olgaToken); ChatClient iA = ChatClient.connect(a(), ivanToken);
                ChatClient iB = ChatClient.connect(nodeB.base, ivanToken); ChatClient m = ChatClient.connect(nodeB.base, malToken)) {
            all.addAll(List.of(o, iA, iB, m));
            JsonObject created = o.request(of("type", "join", "room", room, "private", true), "joined");
            assertTrue(created.getBoolean("private"));
            assertEquals("owner", created.getString("role"));
            assertEquals(olga, created.getJsonObject("roles").keySet().iterator().next());

            Replies.assertErrorFrame(m.request(of("type", "join", "room", room, "ref", "j"), "joined"), "forbidden", "j");
            o.request(send(room, "secret", "s0"), "ack");
            assertEquals(null, m.poll(f -> room.equals(f.getString("room", "")), Duration.ofMillis(500)),
                    "a refused join leaves the socket out of the room");
            Replies.assertErrorFrame(m.request(of("type", "history", "room", room, "ref", "h"), "history"), "not_member", "h");
            Replies.assertErrorFrame(m.request(send(room, "let me in", "s"), "ack"), "not_member", "s");
            Replies.assertErrorFrame(m.request(of("type", "invite", "room", room, "user", mal, "ref", "i"), "invited"), "not_member", "i");

            assertEquals(ivan, o.request(of("type", "invite", "room", room, "user", ivan, "ref", "i1"), "invited").getString("user"));
            JsonObject in = iB.request(join(room), "joined"); // on the other node
            assertEquals("member", in.getString("role"));
            assertTrue(in.getBoolean("private"));
            o.await(Replies.member("member_add", ivan));
            iA.await(Replies.member("member_add", ivan));

            JsonObject named = o.request(of("type", "set_role", "room", room, "user", ivan, "role", "moderator"), "role_set");
            assertEquals("moderator", named.getString("role"));
            for (ChatClient c : List.of(o, iA, iB)) {
                JsonObject role = c.await(Replies.type("role"));
                assertEquals(ivan, role.getString("user"));
                assertEquals("moderator", role.getString("role"));
            }

            o.request(of("type", "invite", "room", room, "user", mal), "invited");
            m.joined(join(room));
            Replies.assertErrorFrame(m.request(of("type", "remove", "room", room, "user", ivan, "ref", "r"), "removed"),
                    "forbidden", "r");
            Replies.assertErrorFrame(iA.request(of("type", "remove", "room", room, "user", olga, "ref", "r2"), "removed"),
                    "forbidden", "r2");

            // the moderator on node A removes mal, whose socket is on node B
            iA.request(of("type", "remove", "room", room, "user", mal), "removed");
            m.await(Replies.member("member_remove", mal));
            o.await(Replies.member("member_remove", mal));
            long after = o.request(send(room, "mal is gone", "g1"), "ack").getInt("id");
            iA.await(messageId(after));
            iB.await(messageId(after));
            Replies.assertErrorFrame(m.request(of("type", "history", "room", room, "ref", "h2"), "history"), "not_member", "h2");
            Replies.assertErrorFrame(m.request(of("type", "join", "room", room, "ref", "j2"), "joined"), "forbidden", "j2");

            // the owner bans the moderator: both of his sockets, one per node, leave the room
            o.request(of("type", "ban", "room", room, "user", ivan), "banned");
            iA.await(Replies.member("member_remove", ivan));
            iB.await(Replies.member("member_remove", ivan));
            // (1.8) the owner lists the room's bans; a user removed from it may not
            JsonObject bans = o.request(of("type", "bans", "room", room, "ref", "b"), "bans");
            assertEquals(List.of(ivan), bans.getJsonArray("users").getValuesAs(jakarta.json.JsonString::getString));
            assertFalse(bans.getBoolean("more"));
            Replies.assertErrorFrame(m.request(of("type", "bans", "room", room, "ref", "b2"), "bans"), "not_member", "b2");
            Replies.assertErrorFrame(iB.request(of("type", "join", "room", room, "ref", "j3"), "joined"), "forbidden", "j3");
            long last = o.request(send(room, "just me", "g2"), "ack").getInt("id");
            o.await(messageId(last));
            for (ChatClient gone : List.of(m, iA, iB)) { // a leaver has no later event of the room to wait for
                assertEquals(null, gone.poll(f -> "message".equals(f.getString("type")) && room.equals(f.getString("room")),
                        Duration.ofMillis(500)), "nothing of the room after the removal");
            }
        }
        for (ChatClient c : all) {
            for (String frame : c.received) {
                assertEquals(java.util.Set.of(), org.redischat.wire.AsyncApi.serverFrameProblems(frame), frame);
            }
        }
    }

    /**
     * A node stopped with SIGTERM while messages flow: it reports not-ready, closes its sockets with
     * 1001 spread over its drain window (10 s), and its clients move to the other node and catch up
     * with since — every acked message once, in order, on every one of them.
     */
    @Test
    void aStoppedNodeDrainsItsSocketsOverTimeAndItsClientsLoseNothing() throws Exception {
        String room = Api.newName("drain");
        PayaraMicroNode nodeC = PayaraMicroNode.start(Integer.getInteger("it.port3", 18082));
        List<Reader> readers = new ArrayList<>();
        try (ChatClient writer = ChatClient.connect(a(), Api.signUp(a(), Api.newName("writer")))) {
            String epoch = writer.request(join(room), "joined").getString("epoch");
            for (int i = 0; i < 10; i++) {
                String token = Api.signUp(nodeC.base, Api.newName("reader"));
                ChatClient c = ChatClient.connect(nodeC.base, token);
                c.joined(join(room));
                readers.add(new Reader(token, c));
            }
            long last = 0;
            boolean stopped = false;
            CompletableFuture<String> readiness = null;
            for (int i = 1; i <= 250; i++) {
                if (i == 30) {
                    nodeC.terminate();
                    stopped = true;
                    readiness = CompletableFuture.supplyAsync(() -> readinessUntilGone(nodeC.base));
                }
                Thread.sleep(60); // under the send rate
                last = writer.acked(send(room, "m" + i, "m" + i));
                for (Reader r : readers) {
                    r.read(a(), room, epoch);
                }
            }
            assertTrue(stopped);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (Reader r : readers) {
                while (r.ids.last < last) {
                    assertTrue(System.nanoTime() < deadline, "reader caught up: " + r.ids.last + " of " + last);
                    r.read(a(), room, epoch);
                    Thread.sleep(20);
                }
            }
            List<Long> closes = readers.stream().map(r -> r.closedAt).sorted().toList();
            for (Reader r : readers) {
                assertEquals(1001, r.closeCode, "closed as going away");
            }
            long spread = (closes.get(closes.size() - 1) - closes.get(0)) / 1_000_000;
            String ready = readiness.get(30, TimeUnit.SECONDS);
            System.out.println("drain: 10 sockets closed over " + spread + " ms; readiness while stopping:" + ready);
            assertTrue(ready.matches(".*(500|503)[a-z ]* gone"), "not ready until it was gone: " + ready);
            assertTrue(spread >= 5000, "closes spread over the drain window, not all at once: " + spread + " ms");
        } finally {
            readers.forEach(r -> r.client.close());
            nodeC.close();
        }
    }

    /** Polls a stopping node's readiness until it stops answering; the statuses it gave, in order, each once. */
    private static String readinessUntilGone(URI base) {
        URI ready = URI.create(base.getScheme() + "://" + base.getHost() + ":" + base.getPort() + "/health/ready");
        StringBuilder seen = new StringBuilder();
        String previous = "";
        for (int i = 0; i < 300; i++) {
            String now;
            try {
                Api.Reply r = Api.call(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).GET().build());
                now = r.status() + (r.body().contains("\"stopping\":\"true\"") ? " stopping" : "");
            } catch (RuntimeException gone) {
                return seen + " gone";
            }
            if (!now.equals(previous)) {
                seen.append(' ').append(now);
                previous = now;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                break;
            }
        }
        return seen.toString();
    }

    /** A reader that follows the room on one node, and moves to another when its socket is closed. */
    private static final class Reader {
        final String token;
        final IdsInOrder ids = new IdsInOrder();
        ChatClient client;
        long closedAt;
        int closeCode;

        Reader(String token, ChatClient client) {
            this.token = token;
            this.client = client;
        }

        /** Takes what arrived (each id once, in order); after a close, reconnects to {@code other} with since. */
        void read(URI other, String room, String epoch) {
            for (JsonObject f : client.drain()) {
                if ("message".equals(f.getString("type"))) {
                    ids.live(f.getJsonNumber("id").longValue());
                }
            }
            if (client.closed.isDone() && closedAt == 0) {
                closedAt = System.nanoTime();
                closeCode = client.closed.join();
                client = ids.rejoin(other, token, room, epoch);
                // live from the welcome on: what came before the answer may repeat the page's ids
                for (JsonObject f : client.drain()) {
                    if ("message".equals(f.getString("type"))) {
                        ids.fromPage(f.getJsonNumber("id").longValue());
                    }
                }
            }
        }
    }

    @Test
    void aClientThatMovesToTheOtherNodeCatchesUpWithSince() throws Exception {
        String room = Api.newName("move");
        String carolToken = Api.signUp(a(), Api.newName("carol"));
        try (ChatClient writer = ChatClient.connect(a(), Api.signUp(a(), Api.newName("dave")))) {
            writer.joined(join(room));
            String epoch;
            long last;
            try (ChatClient carol = ChatClient.connect(a(), carolToken)) {
                JsonObject joined = carol.request(join(room), "joined");
                epoch = joined.getString("epoch");
                writer.request(send(room, "seen", "1"), "ack");
                last = carol.awaitType("message").getJsonNumber("id").longValue();
            }
            for (int i = 2; i <= 6; i++) {
                writer.request(send(room, "missed " + i, String.valueOf(i)), "ack");
            }
            try (ChatClient carolOnB = ChatClient.connect(nodeB.base, carolToken)) {
                JsonObject again = carolOnB.request(of("type", "join", "room", room, "since", last, "epoch", epoch), "joined");
                assertTrue(again.getBoolean("recovered"));
                List<Long> ids = again.getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                        .map(m -> m.getJsonNumber("id").longValue()).toList();
                assertEquals(List.of(2L, 3L, 4L, 5L, 6L), ids);
                writer.request(send(room, "live", "7"), "ack");
                assertEquals(7, carolOnB.awaitType("message").getInt("id"));
            }
        }
    }

    @Test
    void theSameWarOnWildFlyChatsWithThePayaraNodes() throws Exception {
        try (WildFlyNode wildfly = WildFlyNode.start(Integer.getInteger("it.port6", 18085),
                System.getProperty("test.redis.address"), true)) {
            // WildFly serves MicroProfile Health on its management interface; the chat server's check is there
            Api.Reply health = Api.call(HttpRequest.newBuilder(wildfly.management.resolve("health/ready"))
                    .timeout(Duration.ofSeconds(20)).GET().build());
            assertEquals(200, health.status(), health.body());
            assertTrue(health.json().getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                    .anyMatch(c -> "redis".equals(c.getString("name")) && "UP".equals(c.getString("status"))),
                    health.body());
            // the Tyrus patch sees Undertow and leaves it alone
            Api.Reply live = Api.call(HttpRequest.newBuilder(wildfly.management.resolve("health/live"))
                    .timeout(Duration.ofSeconds(20)).GET().build());
            assertEquals("not_tyrus", Api.healthData(live, "chat", "tyrus-idle-timer-patch"), live.body());
            // the chat's own metrics read the same on WildFly
            Api.Reply metrics = Api.call(HttpRequest.newBuilder(wildfly.base.resolve("api/metrics"))
                    .timeout(Duration.ofSeconds(20)).GET().build());
            assertEquals(200, metrics.status(), metrics.body());
            assertTrue(metrics.body().contains("# TYPE chat_sends_total counter"), metrics.body());
            // and WildFly serves the same valid OpenAPI document of the HTTP API
            var openApi = ApiDocuments.openApi(URI.create("http://127.0.0.1:" + wildfly.base.getPort() + "/openapi"));
            assertTrue(openApi.getPaths().keySet().stream().anyMatch(k -> k.endsWith("/api/sessions")),
                    openApi.getPaths().keySet().toString());
            Api.Reply page = Api.call(HttpRequest.newBuilder(wildfly.base).timeout(Duration.ofSeconds(20)).GET().build());
            assertEquals(200, page.status());
            assertTrue(page.body().contains("<title>Chat</title>"), "the web client is served");

            String room = Api.newName("wf");
            String aliceName = Api.newName("alice");
            String aliceToken = Api.signUp(wildfly.base, aliceName); // an account made on WildFly
            // this node logs JSON lines (server-config/wildfly-json-logging.cli): the sign-up's line is one
            String registered = null;
            for (int i = 0; i < 50 && registered == null; i++) {
                registered = java.nio.file.Files.readAllLines(wildfly.log.toPath()).stream()
                        .filter(l -> l.contains("registered user " + aliceName)).findFirst().orElse(null);
                Thread.sleep(i == 0 ? 0 : 100);
            }
            assertTrue(registered != null, "the sign-up was logged");
            JsonObject logLine = jakarta.json.Json.createReader(new java.io.StringReader(registered)).readObject();
            assertEquals("registered user " + aliceName, logLine.getString("message"), registered);
            assertEquals("INFO", logLine.getString("level"), registered);
            // the handshake's checks hold on WildFly's WebSocket implementation too
            assertEquals(401, ChatClient.handshakeStatus(wildfly.base, "ws", null));
            assertEquals(403, ChatClient.handshakeStatus(wildfly.base, "ws?access_token=" + aliceToken, "http://evil.example"));
            String bobToken = Api.signUp(nodeB.base, Api.newName("bob"));
            try (ChatClient aliceOnW = ChatClient.connect(wildfly.base, aliceToken);
                    ChatClient aliceOnA = ChatClient.connect(a(), aliceToken); // its token holds on Payara
                    ChatClient bobOnB = ChatClient.connect(nodeB.base, bobToken)) {
                JsonObject joined = aliceOnW.request(join(room), "joined");
                assertEquals("joined", joined.getString("type"), joined.toString());
                assertEquals("joined", bobOnB.request(join(room), "joined").getString("type"));
                assertEquals(1, aliceOnW.request(send(room, "from WildFly", "w1"), "ack").getInt("id"));
                assertEquals(2, bobOnB.request(send(room, "from Payara", "p1"), "ack").getInt("id"));
                for (ChatClient c : List.of(aliceOnW, aliceOnA, bobOnB)) {
                    assertEquals("from WildFly", c.awaitType("message").getString("text"));
                    assertEquals("from Payara", c.awaitType("message").getString("text"));
                }
                // frames went out through Undertow's portable path
                Api.Reply liveAfter = Api.call(HttpRequest.newBuilder(wildfly.management.resolve("health/live"))
                        .timeout(Duration.ofSeconds(20)).GET().build());
                assertEquals("not_tyrus", Api.healthData(liveAfter, "chat", "tyrus-raw-frames"), liveAfter.body());
                // a reconnect to WildFly catches up on what a Payara node stored
                try (ChatClient again = ChatClient.connect(wildfly.base, aliceToken)) {
                    JsonObject since = again.request(of("type", "join", "room", room, "since", 1,
                            "epoch", joined.getString("epoch")), "joined");
                    assertTrue(since.getBoolean("recovered"), since.toString());
                    List<String> texts = since.getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                            .map(m -> m.getString("text")).toList();
                    assertEquals(List.of("from Payara"), texts);
                }
                // the frame limit holds on WildFly's WebSocket implementation too
                try (ChatClient big = ChatClient.connect(wildfly.base, aliceToken)) {
                    big.send(of("type", "send", "room", room, "text", "a".repeat(70_000)));
                    assertEquals(1009, big.awaitClose());
                }
            }
        }
    }

    /**
     * The current platform: the same WAR on Payara Micro 7 (Jakarta EE 11) on a Java 21+ chats with a
     * Payara Micro 6 node, and both Tyrus parts take on its Tyrus.
     */
    @Test
    void theSameWarOnPayaraMicro7OnAModernJavaChatsWithTheOthers() throws Exception {
        try (PayaraMicroNode seven = PayaraMicroNode.startOnPayara7(Integer.getInteger("it.port7", 18086),
                System.getProperty("test.redis.address"))) {
            // it is the current platform (Payara Micro 7 does not start on a Java older than 21)
            assertTrue(java.nio.file.Files.readString(seven.log.toPath()).contains("Payara Micro 7."),
                    "the node runs Payara Micro 7; see " + seven.log);
            String room = Api.newName("p7");
            String aliceToken = Api.signUp(seven.base, Api.newName("alice"));
            String bobToken = Api.signUp(nodeB.base, Api.newName("bob"));
            try (ChatClient aliceOn7 = ChatClient.connect(seven.base, aliceToken);
                    ChatClient bobOnB = ChatClient.connect(nodeB.base, bobToken)) {
                assertEquals("joined", aliceOn7.request(join(room), "joined").getString("type"));
                assertEquals("joined", bobOnB.request(join(room), "joined").getString("type"));
                assertEquals(1, aliceOn7.request(send(room, "from Payara 7", "s7"), "ack").getInt("id"));
                assertEquals(2, bobOnB.request(send(room, "from Payara 6", "s6"), "ack").getInt("id"));
                for (ChatClient c : List.of(aliceOn7, bobOnB)) {
                    assertEquals("from Payara 7", c.awaitType("message").getString("text"));
                    assertEquals("from Payara 6", c.awaitType("message").getString("text"));
                }
                URI live = URI.create("http://127.0.0.1:" + seven.base.getPort() + "/health/live");
                Api.Reply r = Api.call(HttpRequest.newBuilder(live).timeout(Duration.ofSeconds(20)).GET().build());
                assertEquals(200, r.status(), r.body());
                assertEquals("installed", Api.healthData(r, "chat", "tyrus-idle-timer-patch"), r.body());
                assertEquals("in_use", Api.healthData(r, "chat", "tyrus-raw-frames"), r.body());
            }
        }
    }

    /**
     * Last: it kills node B with SIGKILL while a room is busy. B's clients reconnect to A with
     * {@code since} and {@code epoch} and get exactly what they missed; B's user goes offline.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void whenANodeIsKilledItsClientsCatchUpOnTheOtherAndItsUsersGoOffline() throws Exception {
        String room = Api.newName("dead");
        String victim = Api.newName("vic");
        String[] tokens = new String[4];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = Api.signUp(a(), i == 0 ? victim : Api.newName("mov"));
        }
        try (ChatClient watcher = ChatClient.connect(a(), Api.signUp(a(), Api.newName("wat")))) {
            watcher.joined(join(room));
            List<ChatClient> onB = new ArrayList<>();
            String epoch = null;
            for (String t : tokens) {
                ChatClient c = ChatClient.connect(nodeB.base, t);
                epoch = c.request(join(room), "joined").getString("epoch");
                onB.add(c);
            }
            JsonObject on = watcher.await(f -> "presence".equals(f.getString("type")) && victim.equals(f.getString("user")));
            assertTrue(on.getBoolean("online"));

            // the watcher on A sends 25 messages a second throughout
            List<Long> acked = new CopyOnWriteArrayList<>();
            AtomicBoolean sending = new AtomicBoolean(true);
            Thread sender = new Thread(() -> {
                for (int i = 0; sending.get(); i++) {
                    acked.add(watcher.acked(send(room, "m" + i, "k" + i)));
                    try {
                        Thread.sleep(40);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sender.start();
            Thread.sleep(1500);
            long killed = System.nanoTime();
            nodeB.kill();
            List<List<Long>> seen = new ArrayList<>();
            for (ChatClient c : onB) {
                c.closed.orTimeout(10, TimeUnit.SECONDS).join();
                seen.add(new ArrayList<>(c.drain().stream().filter(f -> "message".equals(f.getString("type")))
                        .map(f -> f.getJsonNumber("id").longValue()).toList()));
            }
            // each but the victim reconnects to A, joins with since = its last id, then stays a while
            List<ChatClient> onA = new ArrayList<>();
            for (int i = 1; i < tokens.length; i++) {
                List<Long> ids = seen.get(i);
                assertFalse(ids.isEmpty(), "messages reached B's client before the kill");
                ChatClient c = ChatClient.connect(a(), tokens[i]);
                JsonObject joined = c.request(of("type", "join", "room", room, "since", ids.get(ids.size() - 1),
                        "epoch", epoch), "joined");
                assertTrue(joined.getBoolean("recovered"));
                joined.getJsonArray("messages").getValuesAs(JsonObject.class)
                        .forEach(m -> ids.add(m.getJsonNumber("id").longValue()));
                onA.add(c);
            }
            Thread.sleep(1000);
            sending.set(false);
            sender.join(10_000);
            long last = acked.get(acked.size() - 1);
            for (int i = 0; i < onA.size(); i++) {
                List<Long> ids = seen.get(i + 1);
                // live events flow from the welcome on, so one that came between the welcome and the join
                // may also be in the joined page (docs/PROTOCOL.md reading: clients dedupe a page by id)
                List<Long> live = new ArrayList<>();
                while (Math.max(ids.get(ids.size() - 1), live.isEmpty() ? 0 : live.get(live.size() - 1)) < last) {
                    live.add(onA.get(i).await(f -> "message".equals(f.getString("type"))).getJsonNumber("id").longValue());
                }
                for (int k = 1; k < live.size(); k++) {
                    assertEquals(live.get(k - 1) + 1, live.get(k), "client " + i + ": live messages once each, in order");
                }
                List<Long> view = new ArrayList<>(new java.util.LinkedHashSet<>(ids));
                live.stream().filter(id -> id > view.get(view.size() - 1)).forEach(view::add);
                assertEquals(acked.stream().filter(id -> id >= ids.get(0)).toList(), view,
                        "client " + i + ": what it saw on B, then exactly what it missed, then live");
                assertEquals(ids.size(), new java.util.HashSet<>(ids).size(),
                        "client " + i + ": nothing twice on B or in the joined page");
                onA.get(i).close();
            }
            System.out.println("node killed: " + acked.size() + " messages acked, " + onA.size()
                    + " clients moved to A and caught up with since: 0 lost, 0 duplicated");

            JsonObject off = watcher.await(f -> "presence".equals(f.getString("type")) && victim.equals(f.getString("user"))
                    && !f.getBoolean("online"), Duration.ofSeconds(35));
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killed);
            assertFalse(off.getBoolean("online"));
            System.out.println("presence: a killed node's user went offline after " + seconds + " s");
            assertTrue(seconds <= 30, "offline after " + seconds + " s");
        }
    }

    /**
     * A token that expires (its key's time to live runs out) or disappears (deleted from Redis) closes
     * its sockets with 1008 on whichever node they are, within 20 s plus two token checks (2 s here,
     * CHAT_SOCKET_TOKEN_CHECK_SECONDS in the pom; 10 s by default); a socket with a valid token stays.
     */
    @Test
    void aTokenThatExpiresOrDisappearsClosesItsSocketsOnEveryNode() throws Exception {
        String expiring = Api.signUp(a(), Api.newName("exa"));
        String vanishing = Api.signUp(a(), Api.newName("vic"));
        String valid = Api.signUp(a(), Api.newName("val"));
        String room = Api.newName("tok");
        try (ChatClient onA = ChatClient.connect(a(), expiring); ChatClient onB = ChatClient.connect(nodeB.base, vanishing);
                ChatClient stays = ChatClient.connect(nodeB.base, valid)) {
            onA.joined(join(room));
            onB.joined(join(room));
            RedissonClient redis = TestRedis.client();
            redis.getBucket(Keys.token(Tokens.hash(expiring))).expire(Duration.ofMillis(500));
            assertTrue(redis.getBucket(Keys.token(Tokens.hash(vanishing))).delete());
            long start = System.nanoTime();
            assertEquals(1008, onA.closed.orTimeout(40, TimeUnit.SECONDS).join(), "expired token's socket on A");
            assertEquals(1008, onB.closed.orTimeout(40, TimeUnit.SECONDS).join(), "vanished token's socket on B");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            System.out.println("tokens: sockets of an expired and a deleted token closed with 1008 within " + seconds + " s");
            assertTrue(seconds <= 25, "closed after " + seconds + " s");
            assertFalse(stays.closed.isDone(), "the valid token's socket stays open");
            stays.joined(join(room));
            assertEquals(401, Api.call(HttpRequest.newBuilder(a().resolve("api/sessions/current"))
                    .header("Authorization", "Bearer " + expiring).GET().build()).status());
        }
    }

    @Test
    void signingOutOnOneNodeClosesTheTokensSocketsOnTheOther() throws Exception {
        String token = Api.signUp(a(), Api.newName("erin"));
        try (ChatClient onB = ChatClient.connect(nodeB.base, token)) {
            assertEquals(204, Api.delete(a(), "api/sessions/current", token).status());
            assertEquals(1008, onB.awaitClose());
        }
    }
}
