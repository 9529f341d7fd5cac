package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redischat.it.Frames.join;
import static org.redischat.it.Frames.of;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;

import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

/** Two people in two headless Chromiums, each on another server node, using the web client. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class WebClientIT {

    private static PayaraMicroNode nodeB;

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL url;

    @BeforeAll
    static void startSecondNode() throws Exception {
        nodeB = PayaraMicroNode.start(Integer.getInteger("it.port3", 18082));
    }

    @AfterAll
    static void stopSecondNode() throws Exception {
        if (nodeB != null) {
            nodeB.close();
        }
    }

    private static void signUp(Browser b, URI base, String user) {
        b.driver.get(base.toString());
        b.until(d -> b.find("signin").isDisplayed());
        b.find("username").sendKeys(user);
        b.find("password").sendKeys("password-1");
        b.find("signup-button").click();
        b.until(d -> "connected".equals(b.find("status").getDomProperty("textContent")));
        assertEquals(user, b.find("me").getDomProperty("textContent"));
    }

    private static void signIn(Browser b, URI base, String user) {
        b.driver.get(base.toString());
        b.until(d -> b.find("signin").isDisplayed());
        b.find("username").sendKeys(user);
        b.find("password").sendKeys("password-1");
        b.find("signin-button").click();
        b.until(d -> "connected".equals(b.find("status").getDomProperty("textContent")));
    }

    private static void joinRoom(Browser b, String room) {
        b.find("join-room").sendKeys(room, Keys.ENTER);
        b.until(d -> b.find("room-title").getText().equals("#" + room));
    }

    private static void say(Browser b, String text) {
        b.until(d -> b.find("send").isEnabled());
        b.find("text").sendKeys(text, Keys.ENTER);
    }

    /** Read in one script: the list is redrawn as events arrive, so elements found one by one may go stale. */
    @SuppressWarnings("unchecked")
    private static List<String> texts(Browser b) {
        return (List<String>) b.driver.executeScript(
                "return [...document.querySelectorAll('#messages .text')].map(e => e.textContent)");
    }

    private static void waitForText(Browser b, String text) {
        b.until(d -> texts(b).contains(text));
    }

    private static WebElement roomButton(Browser b, String room) {
        return b.driver.findElement(By.cssSelector("#rooms button[data-room='" + room + "']"));
    }

    /**
     * Opens the rooms' drawer of a phone-wide page and waits until it has slid in (a button still
     * moving is not clickable).
     */
    private static void openRooms(Browser b) {
        b.find("show-rooms").click();
        b.until(d -> "none".equals(b.driver.executeScript("return getComputedStyle(document.getElementById('sidebar')).transform")));
    }

    /** Clicks a room in the sidebar; the list is redrawn as events arrive, so a found button may go stale. */
    private static void clickRoom(Browser b, String room) {
        b.until(d -> {
            try {
                roomButton(b, room).click();
                return true;
            } catch (StaleElementReferenceException | NoSuchElementException e) {
                return false;
            }
        });
    }

    private static String badge(Browser b, String room) {
        return (String) b.driver.executeScript("const r = document.querySelector(`#rooms button[data-room='${arguments[0]}']`);"
                + " const n = r && r.querySelector('.badge'); return r ? (n ? n.textContent : '') : 'none'", room);
    }

    private static boolean shownOnline(Browser b, String user) {
        return "true".equals(b.driver.executeScript(
                "const m = document.querySelector(`#members button[data-user='${arguments[0]}']`); return m && m.dataset.online", user));
    }

    @Test
    void twoPeopleOnTwoNodesChat() throws Exception {
        String alice = Api.newName("alice");
        String bob = Api.newName("bob");
        String room = Api.newName("lobby");
        String dm = alice.compareTo(bob) < 0 ? "dm:" + alice + ":" + bob : "dm:" + bob + ":" + alice;
        try (Browser a = new Browser(1200, 800); Browser b = new Browser(1200, 800)) {
            signUp(a, url.toURI(), alice);
            signUp(b, nodeB.base, bob);
            joinRoom(a, room);
            joinRoom(b, room);

            // messages both ways, across nodes
            say(a, "hello bob");
            waitForText(b, "hello bob");
            say(b, "hi alice");
            waitForText(a, "hi alice");
            a.until(d -> Long.valueOf(0).equals(a.driver.executeScript("return document.querySelectorAll('#messages .pending').length")));
            // the list is a log: a message shown stays in place as others come (a screen reader hears each once)
            assertEquals("log", a.find("messages").getDomAttribute("role"));
            a.driver.executeScript("window.kept = document.querySelector('#messages li[data-id]'); window.dropped = 0;"
                    + " new MutationObserver(rs => rs.forEach(r => r.removedNodes.forEach(n => { if (n.dataset && n.dataset.id) window.dropped++; })))"
                    + ".observe(document.getElementById('messages'), { childList: true });");

            // each sees the other online
            a.until(d -> shownOnline(a, bob));

            // typing shows on the other side (bob's last typing signal was sent with "hi alice": wait out the 2 s)
            Thread.sleep(2100);
            b.find("text").sendKeys("I am typ");
            a.until(d -> a.find("typing").getText().equals(bob + " is typing…"));
            b.find("text").clear();

            // markup is shown as text, never run
            String evil = "<img src=x onerror=alert(1)>";
            say(a, evil);
            waitForText(b, evil);
            assertEquals(0L, b.driver.executeScript("return document.querySelectorAll('#messages img').length"));
            assertNoAlert(b);
            a.screenshot("room");
            assertEquals(0L, a.driver.executeScript("return window.dropped"), "no message element taken out of the list");
            assertEquals(Boolean.TRUE, a.driver.executeScript(
                    "return window.kept.isConnected && window.kept === document.querySelector('#messages li[data-id]')"));

            // a direct conversation, started from the member list
            b.until(d -> {
                try {
                    b.driver.findElement(By.cssSelector("#members button[data-user='" + alice + "']")).click();
                    return true;
                } catch (StaleElementReferenceException | NoSuchElementException e) {
                    return false;
                }
            });
            b.until(d -> b.find("room-title").getText().equals("@" + alice));
            say(b, "psst, just you");
            a.until(d -> badge(a, dm).equals("1"));
            clickRoom(a, dm);
            waitForText(a, "psst, just you");
            a.until(d -> badge(a, dm).isEmpty());

            // unread counts move while alice is elsewhere
            say(b, "back in the DM");
            clickRoom(b, room);
            say(b, "one in the lobby");
            a.until(d -> badge(a, room).equals("1"));
            a.screenshot("unread");

            // a reload keeps alice signed in, with the history
            a.driver.navigate().refresh();
            a.until(d -> "connected".equals(a.find("status").getDomProperty("textContent")));
            clickRoom(a, room);
            waitForText(a, "hello bob");
            waitForText(a, "one in the lobby");
            assertTrue(texts(a).contains(evil));
        }
    }

    private static long count(Browser b, String text) {
        return texts(b).stream().filter(text::equals).count();
    }

    private static long pending(Browser b) {
        return (Long) b.driver.executeScript("return document.querySelectorAll('#messages .pending').length");
    }

    private static boolean messageWithText(JsonObject f, String text) {
        return "message".equals(f.getString("type")) && text.equals(f.getString("text"));
    }

    /**
     * A page whose server goes silent (its network vanished: no close, no error) notices by itself and
     * reconnects; and when the node a page is on dies while a send waits for its ack, the page
     * reconnects to another node behind the same address and resends with the same ref. Each message
     * is then shown once on the page and delivered once to the other member.
     */
    @Test
    void pendingSendsSurviveADeadServerAndAKilledNode() throws Exception {
        String pat = Api.newName("pat");
        String room = Api.newName("wake");
        URI a = url.toURI();
        try (PayaraMicroNode nodeC = PayaraMicroNode.start(Integer.getInteger("it.port4", 18083));
                FreezingProxy proxy = FreezingProxy.to(nodeC.base.getPort());
                Browser b = new Browser(1200, 800);
                ChatClient other = ChatClient.connect(a, Api.signUp(a, Api.newName("oli")))) {
            signUp(b, URI.create("http://127.0.0.1:" + proxy.port() + nodeC.base.getPath()), pat);
            joinRoom(b, room);
            other.joined(join(room));
            say(b, "before");
            // acked and delivered (a pending send shows its text too, so the text alone says nothing)
            b.until(d -> pending(b) == 0 && count(b, "before") == 1);
            other.await(f -> messageWithText(f, "before"));

            // 1. the connection goes silent both ways: the send is lost on the way; the page gives the
            //    socket up (no answer within 10 s), opens a new one and sends again
            proxy.freezeAll();
            long t0 = System.nanoTime();
            say(b, "into the void");
            b.until(d -> pending(b) == 1);
            other.await(f -> messageWithText(f, "into the void"), Duration.ofSeconds(30));
            b.until(d -> pending(b) == 0 && count(b, "into the void") == 1, Duration.ofSeconds(30));
            System.out.printf("web client: a silent server noticed and the pending send delivered after %d ms%n",
                    (System.nanoTime() - t0) / 1_000_000);

            // 2. the node stores the message but its ack never comes back, and then the node dies
            proxy.freezeReplies();
            say(b, "while the node dies");
            other.await(f -> messageWithText(f, "while the node dies"), Duration.ofSeconds(10));
            assertEquals(1, pending(b), "the page still waits for the ack");
            proxy.retarget(nodeB.base.getPort());
            nodeC.kill();
            b.until(d -> pending(b) == 0 && count(b, "while the node dies") == 1, Duration.ofSeconds(30));

            // once each, for the author and for the other member; nothing twice in the room's history
            assertEquals(1, count(b, "into the void"));
            assertNull(other.poll(f -> messageWithText(f, "while the node dies") || messageWithText(f, "into the void"),
                    Duration.ofSeconds(2)), "delivered a second time");
            JsonObject history = other.request(of("type", "history", "room", room), "history");
            List<String> texts = history.getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                    .map(m -> m.getString("text")).toList();
            assertEquals(List.of("before", "into the void", "while the node dies"), texts);
        }
    }

    /** Clicks a member's action (remove, ban, set_role:moderator, ...) in the members list, which is redrawn as events arrive. */
    private static void clickMemberAction(Browser b, String user, String action) {
        b.until(d -> {
            try {
                b.driver.findElement(By.cssSelector("#members li[data-member='" + user + "'] button[data-action='" + action + "']")).click();
                return true;
            } catch (StaleElementReferenceException | NoSuchElementException e) {
                return false;
            }
        });
    }

    private static String shownText(Browser b, String css) {
        return (String) b.driver.executeScript("const e = document.querySelector(arguments[0]); return e ? e.textContent : null", css);
    }

    /**
     * Protocol 1.3 from the page, two people on two nodes: a private room made with the checkbox; a
     * stranger's join is refused and leaves no room behind; an invitation from the members panel lets
     * them in; the owner names them moderator, then removes them, and the room leaves their page.
     */
    @Test
    void aPrivateRoomFromThePage() throws Exception {
        String olga = Api.newName("olga");
        String bob = Api.newName("bob");
        String room = Api.newName("team");
        try (Browser a = new Browser(1200, 800); Browser b = new Browser(1200, 800)) {
            signUp(a, url.toURI(), olga);
            signUp(b, nodeB.base, bob);
            a.find("join-private").click();
            joinRoom(a, room);
            a.until(d -> "private · you: owner".equals(a.find("room-kind").getText()));

            b.find("join-room").sendKeys(room, Keys.ENTER);
            b.until(d -> texts(b).isEmpty() && String.valueOf(shownText(b, "#messages .notice")).contains("forbidden"));
            b.until(d -> "none".equals(badge(b, room)));

            openAction(a, "invite-box");
            a.find("invite-user").sendKeys(bob, Keys.ENTER);
            a.until(d -> String.valueOf(shownText(a, "#messages .notice")).contains(bob + " invited"));
            joinRoom(b, room);
            b.until(d -> "private · you: member".equals(b.find("room-kind").getText()));
            a.until(d -> shownText(a, "#members li[data-member='" + bob + "']") != null);
            openAction(a, "topic-box");
            a.find("topic-text").sendKeys("plans for May", Keys.ENTER);
            b.until(d -> "plans for May".equals(b.find("room-topic").getText()));
            a.screenshot("private-room");

            // "@" and the start of a member's name, Tab: completed; the message stands out on the page it mentions
            b.until(d -> b.find("send").isEnabled());
            b.find("text").sendKeys("@" + olga.substring(0, 3), Keys.TAB);
            assertEquals("@" + olga + " ", b.find("text").getDomProperty("value"));
            b.find("text").sendKeys("look", Keys.ENTER);
            a.until(d -> ("@" + olga + " look").equals(shownText(a, "#messages li.mention .text")));

            clickMemberAction(a, bob, "set_role:moderator");
            b.until(d -> "private · you: moderator".equals(b.find("room-kind").getText()));
            b.until(d -> "moderator".equals(shownText(b, "#members li[data-member='" + bob + "'] .role")));

            clickMemberAction(a, bob, "remove");
            b.until(d -> "none".equals(badge(b, room)));
            b.until(d -> "Pick or join a room".equals(b.find("room-title").getText()));
            a.until(d -> shownText(a, "#members li[data-member='" + bob + "']") == null);

            // a join link from the members panel lets him back in: opened in his browser, it joins the room
            a.find("invite-link").click();
            a.until(d -> a.find("invite-link-text").isDisplayed());
            String link = a.find("invite-link-text").getDomProperty("value");
            assertTrue(link.contains("#join=" + room + "&invite="), link);
            b.driver.get(link.replace(url.toURI().toString(), nodeB.base.toString()));
            b.until(d -> ("#" + room).equals(b.find("room-title").getText()));
            b.until(d -> "private · you: member".equals(b.find("room-kind").getText()));

            // (1.8) banned, he is listed under "Banned users", and unbanned from there
            clickMemberAction(a, bob, "ban");
            b.until(d -> "Pick or join a room".equals(b.find("room-title").getText()));
            openAction(a, "bans-box");
            a.until(d -> shownText(a, "#bans li[data-banned='" + bob + "']") != null);
            a.driver.findElement(By.cssSelector("#bans li[data-banned='" + bob + "'] button")).click();
            a.until(d -> "nobody is banned".equals(shownText(a, "#bans li")));

            // the directory lists the public room of the same prefix, never the private one, and joins it
            joinRoom(a, room + "-pub");
            b.driver.findElement(By.cssSelector("#browse summary")).click();
            b.find("browse-prefix").sendKeys(room, Keys.ENTER);
            b.until(d -> shownText(b, "#directory button[data-room='" + room + "-pub']") != null);
            assertNull(shownText(b, "#directory button[data-room='" + room + "']"), "a private room is never listed");
            b.driver.findElement(By.cssSelector("#directory button[data-room='" + room + "-pub']")).click();
            b.until(d -> ("#" + room + "-pub").equals(b.find("room-title").getText()));
        }
    }

    /** The message whose text is {@code text}: its menu opened from the keyboard, then the item {@code label} clicked. */
    private static void fromMenu(Browser b, String text, String label) {
        b.until(d -> {
            try {
                WebElement li = b.driver.findElement(By.xpath("//ol[@id='messages']/li[span[@class='text' and .="
                        + xpathString(text) + "]]"));
                WebElement summary = li.findElement(By.cssSelector("details.menu summary"));
                if (li.findElements(By.cssSelector("details.menu[open]")).isEmpty()) {
                    summary.sendKeys(Keys.ENTER); // a summary opens its menu as a button would
                }
                li.findElement(By.xpath(".//details//button[.=" + xpathString(label) + "]")).click();
                return true;
            } catch (StaleElementReferenceException | NoSuchElementException e) {
                return false;
            }
        });
    }

    private static String xpathString(String s) {
        return "'" + s + "'"; // the tests' texts hold no quote
    }

    /** What the page shows next to a message: its edited mark and reaction chips, in one script. */
    private static String decorations(Browser b, String text) {
        return (String) b.driver.executeScript("const li = [...document.querySelectorAll('#messages li[data-id]')]"
                + ".find(l => l.querySelector('.text').textContent === arguments[0]); if (!li) return null;"
                + " return [...li.querySelectorAll('.edited, .reaction')].map(e => e.textContent.trim()"
                + " + (e.getAttribute('aria-pressed') === 'true' ? '*' : '')).join('|')", text);
    }

    /**
     * Protocol 1.4 from the page, two people on two nodes: the up arrow edits your newest message in the
     * composer; a reaction from a message's menu (opened from the keyboard) and its chip toggled by the
     * other; the menu offers a member edit and delete of their own messages only, the owner delete of
     * anyone's; a deleted message stays as a tombstone on both pages.
     */
    @Test
    void editsDeletesAndReactionsFromTheMessageMenu() throws Exception {
        String olga = Api.newName("olga");
        String bob = Api.newName("bob");
        String room = Api.newName("edits");
        try (Browser a = new Browser(1200, 800); Browser b = new Browser(1200, 800)) {
            signUp(a, url.toURI(), olga);
            signUp(b, nodeB.base, bob);
            joinRoom(a, room);
            joinRoom(b, room);
            say(a, "helo");
            waitForText(b, "helo");
            say(b, "hi olga");
            waitForText(a, "hi olga");

            // the up arrow in the empty composer edits olga's newest message
            a.find("text").sendKeys(Keys.ARROW_UP);
            a.until(d -> a.find("editing").isDisplayed());
            assertEquals("helo", a.find("text").getDomProperty("value"));
            a.find("text").clear();
            a.find("text").sendKeys("hello", Keys.ENTER);
            b.until(d -> "(edited)".equals(decorations(b, "hello")));
            a.until(d -> "(edited)".equals(decorations(a, "hello")));
            assertFalse(a.find("editing").isDisplayed());

            // bob reacts from the menu; olga adds hers with the chip
            fromMenu(b, "hello", "👍");
            b.until(d -> "(edited)|👍 1*".equals(decorations(b, "hello")));
            a.until(d -> "(edited)|👍 1".equals(decorations(a, "hello")));
            a.driver.findElement(By.cssSelector("#messages .reaction[data-emoji='👍']")).click();
            b.until(d -> "(edited)|👍 2*".equals(decorations(b, "hello")));
            a.until(d -> "(edited)|👍 2*".equals(decorations(a, "hello")));

            // a member's menu on someone else's message offers reactions only
            @SuppressWarnings("unchecked")
            List<String> offered = (List<String>) b.driver.executeScript("const li = [...document.querySelectorAll('#messages li[data-id]')]"
                    + ".find(l => l.querySelector('.text').textContent === 'hello');"
                    + " return [...li.querySelectorAll('.menu-items button')].map(e => e.textContent)");
            assertFalse(offered.contains("edit") || offered.contains("delete"), offered.toString());

            // the owner deletes bob's message: a tombstone on both pages
            fromMenu(a, "hi olga", "delete");
            b.until(d -> texts(b).contains("message deleted") && !texts(b).contains("hi olga"));
            a.until(d -> texts(a).contains("message deleted"));
            a.screenshot("edits-reactions");
        }
    }

    /**
     * Protocol 1.9: bots are marked where people see them — in the members list and on their
     * messages — whether the page learned of the bot from its join's answer or from a live member_add.
     */
    @Test
    void botsAreMarkedInTheMembersListAndOnTheirMessages() throws Exception {
        URI a = url.toURI();
        String room = Api.newName("builds");
        String olgaToken = Api.signUp(a, Api.newName("olga"));
        String ciBot = Api.newName("ci-bot");
        String alerts = Api.newName("alerts");
        String bob = Api.newName("bob");
        try (ChatClient olga = ChatClient.connect(a, olgaToken); Browser b = new Browser(1200, 800)) {
            olga.joined("{\"type\":\"join\",\"room\":\"" + room + "\"}");
            Api.Reply made = Api.postJsonAs(a, "api/rooms/" + room + "/webhooks", olgaToken, "{\"name\":\"" + ciBot + "\"}");
            assertEquals(201, made.status(), made.body());
            URI hook = URI.create(made.json().getString("url"));
            assertEquals(201, Api.post(hook, hook.getRawPath(), "{\"text\":\"build 41 passed\"}").status());

            signUp(b, nodeB.base, bob);
            joinRoom(b, room); // joined.bots names ci-bot
            waitForText(b, "build 41 passed");
            b.until(d -> botMarks(b).equals(List.of("members:" + ciBot, "message:" + ciBot)));

            // a second bot joins while the page is open: its member_add carries the mark
            assertEquals(201, Api.postJsonAs(a, "api/rooms/" + room + "/webhooks", olgaToken, "{\"name\":\"" + alerts + "\"}").status());
            b.until(d -> botMarks(b).contains("members:" + alerts));
            assertFalse(botMarks(b).stream().anyMatch(m -> m.endsWith(bob)), "a person is not marked");
            b.screenshot("bots");
        }
        try (Browser phone = new Browser(390, 800)) {
            signIn(phone, nodeB.base, bob);
            openRooms(phone);
            clickRoom(phone, room);
            phone.find("show-members").click();
            phone.until(d -> botMarks(phone).contains("members:" + alerts));
            phone.screenshot("phone-bots");
        }
    }

    /**
     * Protocol 1.9: a search from the sidebar lists what was found across the user's rooms; a result
     * older than the room's first page opens the room, loads the pages back to it and shows it.
     */
    @Test
    void aSearchFindsAnOldMessageAndShowsItInItsRoom() throws Exception {
        URI a = url.toURI();
        String room = Api.newName("ops");
        String bob = Api.newName("bob");
        String olgaToken = Api.signUp(a, Api.newName("olga"));
        try (ChatClient olga = ChatClient.connect(a, olgaToken); Browser b = new Browser(1200, 800)) {
            olga.joined("{\"type\":\"join\",\"room\":\"" + room + "\"}");
            signUp(b, nodeB.base, bob);
            joinRoom(b, room);
            olga.acked("{\"type\":\"send\",\"room\":\"" + room + "\",\"text\":\"the Zeppelin deploy failed at 3am\",\"ref\":\"n\"}");
            for (int i = 0; i < 60; i++) {
                Thread.sleep(60); // within the send rate (20 a second)
                olga.acked("{\"type\":\"send\",\"room\":\"" + room + "\",\"text\":\"chatter " + i + "\",\"ref\":\"c" + i + "\"}");
            }
            waitForText(b, "chatter 59");
            b.driver.navigate().refresh(); // a fresh page holds only the room's newest page
            b.until(d -> "connected".equals(b.find("status").getDomProperty("textContent")));
            clickRoom(b, room);
            waitForText(b, "chatter 59");
            assertFalse(texts(b).contains("the Zeppelin deploy failed at 3am"), "not in the first page");

            b.find("search-box").findElement(By.tagName("summary")).click();
            b.find("search-text").sendKeys("zeppelin FAILED", Keys.ENTER);
            b.until(d -> b.driver.findElements(By.cssSelector("#search-results button")).size() == 1);
            assertTrue(b.find("search-results").getText().contains("the Zeppelin deploy failed at 3am"));
            b.driver.findElement(By.cssSelector("#search-results button")).click();
            b.until(d -> Boolean.TRUE.equals(b.driver.executeScript("const li = document.querySelector('#messages li.found');"
                    + " if (!li) return false; const r = li.getBoundingClientRect(), box = document.getElementById('messages').getBoundingClientRect();"
                    + " return li.textContent.includes('Zeppelin') && r.top >= box.top && r.bottom <= box.bottom")));
            // no gap: every message from the found one to the newest is in the list
            List<String> shown = texts(b);
            int at = shown.indexOf("the Zeppelin deploy failed at 3am");
            assertEquals(61, shown.size() - at, "the found message and the 60 after it");
            b.screenshot("search");

            b.find("search-text").clear();
            b.find("search-text").sendKeys("nothing-like-this", Keys.ENTER);
            b.until(d -> b.find("search-results").getText().contains("nothing found"));
        }
        try (Browser phone = new Browser(390, 800)) { // on a phone the search is in the rooms' drawer
            signIn(phone, nodeB.base, bob);
            openRooms(phone);
            phone.find("search-box").findElement(By.tagName("summary")).click();
            phone.find("search-text").sendKeys("zeppelin", Keys.ENTER);
            phone.until(d -> phone.driver.findElements(By.cssSelector("#search-results button")).size() == 1);
            phone.screenshot("phone-search");
            phone.driver.findElement(By.cssSelector("#search-results button")).click();
            phone.until(d -> Boolean.TRUE.equals(phone.driver.executeScript("const li = document.querySelector('#messages li.found');"
                    + " return !!li && li.getBoundingClientRect().width > 0 && li.textContent.includes('Zeppelin')")));
        }
    }

    /**
     * Protocol 1.9: a reply from the message's menu opens the thread beside the room; replies from
     * either side show there, not in the room, whose root shows the count; on a phone the thread takes
     * the screen.
     */
    @Test
    void repliesLiveInTheirThreadPanelAndTheRootCountsThem() throws Exception {
        URI a = url.toURI();
        String room = Api.newName("threads");
        String bob = Api.newName("bob");
        String olgaToken = Api.signUp(a, Api.newName("olga"));
        try (ChatClient olga = ChatClient.connect(a, olgaToken); Browser b = new Browser(1200, 800)) {
            olga.joined("{\"type\":\"join\",\"room\":\"" + room + "\"}");
            signUp(b, nodeB.base, bob);
            joinRoom(b, room);
            long root = olga.acked("{\"type\":\"send\",\"room\":\"" + room + "\",\"text\":\"ship on friday?\",\"ref\":\"r\"}");
            waitForText(b, "ship on friday?");

            fromMenu(b, "ship on friday?", "reply");
            b.until(d -> b.find("thread").isDisplayed());
            b.find("thread-text").sendKeys("only if the tests pass", Keys.ENTER);
            JsonObject reply = olga.await(f -> "message".equals(f.getString("type")) && f.getJsonNumber("thread") != null);
            assertEquals(root, reply.getJsonNumber("thread").longValue());
            assertEquals("only if the tests pass", reply.getString("text"));
            olga.acked("{\"type\":\"send\",\"room\":\"" + room + "\",\"text\":\"they do\",\"thread\":" + root + ",\"ref\":\"t\"}");

            b.until(d -> threadTexts(b).equals(List.of("ship on friday?", "only if the tests pass", "they do")));
            b.until(d -> "2 replies".equals(b.driver.executeScript("const b = document.querySelector('#messages .replies');"
                    + " return b && b.textContent")));
            assertFalse(texts(b).contains("they do") || texts(b).contains("only if the tests pass"), "replies stay out of the room's list");
            // olga's reply came while bob had the thread open: read, on the page and on the server
            b.until(d -> d.findElements(By.cssSelector("#rooms .badge.thread")).isEmpty());
            b.screenshot("thread");
            try (ChatClient again = ChatClient.open(a, Api.signIn(a, bob))) {
                assertFalse(again.next("welcome").getJsonArray("rooms").getJsonObject(0).containsKey("threads"), "no unread thread left");
            }
        }
        try (Browser phone = new Browser(390, 800)) {
            signIn(phone, url.toURI(), bob);
            openRooms(phone);
            clickRoom(phone, room);
            phone.until(d -> !phone.driver.findElements(By.cssSelector("#messages .replies")).isEmpty());
            phone.driver.findElement(By.cssSelector("#messages .replies")).click();
            phone.until(d -> threadTexts(phone).size() == 3);
            assertEquals(Boolean.TRUE, phone.driver.executeScript("const r = document.getElementById('thread').getBoundingClientRect();"
                    + " return r.left === 0 && r.width === window.innerWidth"), "the thread takes the phone's screen");
            phone.screenshot("phone-thread");
            phone.find("close-thread").click();
            phone.until(d -> !phone.find("thread").isDisplayed());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> threadTexts(Browser b) {
        return (List<String>) b.driver.executeScript("return [...document.querySelectorAll('#thread-messages .text')].map(e => e.textContent)");
    }

    /**
     * Protocol 1.8 in the page: the room's owner makes a webhook from the members panel, gets its URL
     * once, sees what it posts as the bot's, lists and revokes it; on a phone the same panel.
     */
    @Test
    void theOwnerMakesListsAndRevokesAWebhookFromTheMembersPanel() throws Exception {
        String olga = Api.newName("olga");
        String room = Api.newName("ci");
        String bot = Api.newName("ci-bot");
        try (Browser b = new Browser(1200, 800)) {
            signUp(b, url.toURI(), olga);
            joinRoom(b, room); // the first member: its owner
            openAction(b, "hooks-box");
            b.find("hook-name").sendKeys(bot, Keys.ENTER);
            b.until(d -> b.find("hook-url").isDisplayed());
            URI hook = URI.create(b.find("hook-url").getDomProperty("value"));
            assertTrue(hook.getPath().contains("/api/hooks/"), hook.toString());
            b.until(d -> b.find("hooks").getText().contains(bot));
            assertEquals(201, Api.post(hook, hook.getRawPath(), "{\"text\":\"build 7 passed\"}").status());
            waitForText(b, "build 7 passed");
            b.until(d -> botMarks(b).contains("message:" + bot));
            b.screenshot("webhooks");

            b.driver.findElement(By.cssSelector("#hooks li[data-hook] button")).click();
            b.until(d -> b.find("hooks").getText().contains("no webhooks"));
            assertEquals(404, Api.post(hook, hook.getRawPath(), "{\"text\":\"after revoking\"}").status());
        }
        try (Browser phone = new Browser(390, 800)) {
            signIn(phone, nodeB.base, olga);
            openRooms(phone);
            clickRoom(phone, room);
            phone.find("show-members").click();
            openAction(phone, "hooks-box");
            phone.until(d -> phone.find("hook-form").isDisplayed() && phone.find("hooks").getText().contains("no webhooks"));
            phone.screenshot("phone-webhooks");
        }
    }

    /** Who carries a bot mark: "members:name" in the members list, "message:name" on a message's head. */
    @SuppressWarnings("unchecked")
    private static List<String> botMarks(Browser b) {
        return (List<String>) b.driver.executeScript(
                "return [...document.querySelectorAll('#members li[data-member] .bot')].map(e => 'members:' + e.closest('li').dataset.member)"
                + ".concat([...document.querySelectorAll('#messages .head .bot')].map(e => 'message:' + e.parentElement.querySelector('b').textContent))");
    }

    /**
     * Recovery of changes in the page: while its connection is silent, another member edits, deletes and
     * reacts; the page notices the dead socket, reconnects, rejoins with since and asks for the changes,
     * and then shows what the others see.
     */
    @Test
    void aPageThatWasAwayCatchesUpOnEditsDeletesAndReactions() throws Exception {
        String pat = Api.newName("pat");
        String room = Api.newName("away");
        URI a = url.toURI();
        try (FreezingProxy proxy = FreezingProxy.to(nodeB.base.getPort());
                Browser b = new Browser(1200, 800);
                ChatClient other = ChatClient.connect(a, Api.signUp(a, Api.newName("oli")))) {
            signUp(b, URI.create("http://127.0.0.1:" + proxy.port() + nodeB.base.getPath()), pat);
            joinRoom(b, room);
            other.joined(join(room));
            long first = other.request(Frames.send(room, "first", "1"), "ack").getInt("id");
            long second = other.request(Frames.send(room, "second", "2"), "ack").getInt("id");
            long third = other.request(Frames.send(room, "third", "3"), "ack").getInt("id");
            waitForText(b, "third");

            proxy.freezeAll(); // the page hears nothing more on this socket
            other.request(of("type", "edit", "room", room, "id", first, "text", "first, edited"), "edited");
            other.request(of("type", "delete", "room", room, "id", second), "deleted");
            other.request(of("type", "react", "room", room, "id", third, "emoji", "🎉"), "reacted");
            say(b, "anyone?"); // unanswered: the page gives the socket up and opens another
            other.await(f -> messageWithText(f, "anyone?"), Duration.ofSeconds(30));
            b.until(d -> texts(b).contains("first, edited") && texts(b).contains("message deleted")
                    && "🎉 1".equals(decorations(b, "third")), Duration.ofSeconds(30));
            assertEquals("(edited)", decorations(b, "first, edited"));
            assertFalse(texts(b).contains("second"));
        }
    }

    @Test
    void signingOutOrARevokedTokenReturnsToSignIn() throws Exception {
        try (Browser a = new Browser(390, 800)) {
            signUp(a, url.toURI(), Api.newName("phone"));
            assertEquals(390L, a.driver.executeScript("return window.innerWidth"));
            a.screenshot("phone");
            // the page asks for nothing the server does not have (the browser's icon included)
            assertEquals(List.of(), a.consoleErrors());
            // the members panel, with invitations, opens over the room at this width
            openRooms(a);
            a.until(d -> a.find("join-room").isDisplayed());
            String pocket = Api.newName("pocket");
            joinRoom(a, pocket);
            // the room's whole name shows in the header, its kind and the buttons on a row of their own
            assertEquals(Boolean.TRUE, a.driver.executeScript("const h = document.getElementById('room-title');"
                    + " return h.clientWidth > 0 && h.scrollWidth <= h.clientWidth"), "the name is not cut");
            assertTrue(a.find("room-title").getRect().getY() < a.find("room-kind").getRect().getY(), "the kind goes below");
            a.screenshot("phone-room");
            assertTrue(!a.find("invite-box").isDisplayed(), "hidden until asked for");
            a.find("show-members").click();
            a.until(d -> a.find("invite-box").isDisplayed());
            assertFalse(a.find("invite-form").isDisplayed(), "the form waits behind its action");
            openAction(a, "invite-box");
            a.until(d -> a.find("invite-form").isDisplayed() && a.find("invite-link").isDisplayed());
            // the owner's topic and banned users are there too, each behind its action
            assertTrue(a.find("bans-box").isDisplayed() && !a.find("topic-form").isDisplayed());
            openAction(a, "topic-box");
            a.find("topic-text").sendKeys("pocket plans", Keys.ENTER);
            a.screenshot("phone-members");
            a.find("hide-members").click();
            a.until(d -> !a.find("invite-form").isDisplayed());
            a.until(d -> "pocket plans".equals(a.find("room-topic").getText()));
            // a message's menu works at this width
            say(a, "from a phone");
            fromMenu(a, "from a phone", "👍");
            a.until(d -> "👍 1*".equals(decorations(a, "from a phone")));
            openRooms(a);
            a.until(d -> a.find("signout").isDisplayed());
            a.screenshot("phone-rooms");
            a.find("signout").click();
            a.until(d -> a.find("signin").isDisplayed());
            a.screenshot("signin");
            a.driver.navigate().refresh();
            a.until(d -> a.find("signin").isDisplayed());

            // a token revoked elsewhere (another device signed out with it) also ends the session here
            signUp(a, url.toURI(), Api.newName("tab"));
            String token = (String) a.driver.executeScript("return localStorage.getItem('chat.token')");
            assertEquals(204, Api.delete(url.toURI(), "api/sessions/current", token).status());
            a.until(d -> a.find("signin").isDisplayed());
            assertTrue(a.find("signin-error").getText().contains("sign in again"));
        }
    }

    /** Opens one of the members panel's actions (a details element) by its summary. */
    private static void openAction(Browser b, String id) {
        b.driver.findElement(By.cssSelector("#" + id + " > summary")).click();
        b.until(d -> b.find(id).getDomProperty("open").equals("true"));
    }

    private static void assertNoAlert(Browser b) {
        try {
            b.driver.switchTo().alert();
            throw new AssertionError("a script from a message ran");
        } catch (NoAlertPresentException expected) {
            // nothing ran
        }
    }
}
