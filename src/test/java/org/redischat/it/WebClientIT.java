package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.util.List;

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

    private static SecondNode nodeB;

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL url;

    @BeforeAll
    static void startSecondNode() throws Exception {
        nodeB = SecondNode.start(Integer.getInteger("it.port3", 18082));
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

    private static void joinRoom(Browser b, String room) {
        b.find("join-room").sendKeys(room, Keys.ENTER);
        b.until(d -> b.find("room-title").getText().equals("#" + room));
    }

    private static void say(Browser b, String text) {
        b.until(d -> b.find("send").isEnabled());
        b.find("text").sendKeys(text, Keys.ENTER);
    }

    private static List<String> texts(Browser b) {
        return b.driver.findElements(By.cssSelector("#messages .text")).stream().map(WebElement::getText).toList();
    }

    private static void waitForText(Browser b, String text) {
        b.until(d -> texts(b).contains(text));
    }

    private static WebElement roomButton(Browser b, String room) {
        return b.driver.findElement(By.cssSelector("#rooms button[data-room='" + room + "']"));
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
        try {
            List<WebElement> badges = roomButton(b, room).findElements(By.className("badge"));
            return badges.isEmpty() ? "" : badges.get(0).getText();
        } catch (StaleElementReferenceException e) {
            return "stale";
        }
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
            assertTrue(a.driver.findElements(By.cssSelector("#messages .pending")).isEmpty(), "acked");

            // each sees the other online
            a.until(d -> "true".equals(a.driver.findElement(By.cssSelector("#members button[data-user='" + bob + "']"))
                    .getAttribute("data-online")));

            // typing shows on the other side (bob's last typing signal was sent with "hi alice": wait out the 2 s)
            Thread.sleep(2100);
            b.find("text").sendKeys("I am typ");
            a.until(d -> a.find("typing").getText().equals(bob + " is typing…"));
            b.find("text").clear();

            // markup is shown as text, never run
            String evil = "<img src=x onerror=alert(1)>";
            say(a, evil);
            waitForText(b, evil);
            assertTrue(b.driver.findElements(By.cssSelector("#messages img")).isEmpty());
            assertNoAlert(b);
            a.screenshot("room");

            // a direct conversation, started from the member list
            b.driver.findElement(By.cssSelector("#members button[data-user='" + alice + "']")).click();
            b.until(d -> b.find("room-title").getText().equals("@" + alice));
            say(b, "psst, just you");
            a.until(d -> !a.driver.findElements(By.cssSelector("#rooms button[data-room='" + dm + "']")).isEmpty());
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

    @Test
    void aRevokedSessionReturnsToSignIn() throws Exception {
        try (Browser a = new Browser(420, 800)) {
            signUp(a, url.toURI(), Api.newName("phone"));
            a.screenshot("phone");
            a.find("show-rooms").click();
            a.until(d -> a.find("signout").isDisplayed());
            a.screenshot("phone-rooms");
            a.find("signout").click();
            a.until(d -> a.find("signin").isDisplayed());
            a.screenshot("signin");
            a.driver.navigate().refresh();
            a.until(d -> a.find("signin").isDisplayed());
        }
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
