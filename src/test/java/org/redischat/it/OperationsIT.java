package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redischat.it.Frames.join;
import static org.redischat.it.Frames.send;
import static org.redischat.it.Replies.assertErrorFrame;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What an operator relies on, against Payara Micro: the metrics endpoint, the OpenAPI document, the
 * container patch's state in the liveness check, and a node deployed without Redis configuration.
 * (The same endpoints on WildFly: TwoNodeIT's WildFly test.)
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OperationsIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL url;

    URI base() throws Exception {
        return url.toURI();
    }

    ChatClient user(String name) throws Exception {
        return ChatClient.connect(base(), Api.signUp(base(), name));
    }

    /**
     * The container-specific parts took on this Payara (TyrusIdleTimerPatch, RawFrames): if a Tyrus
     * upgrade renamed what they use, this fails instead of the CPU cost silently coming back.
     */
    @Test
    void theTyrusPartsAreInUseOnPayara() throws Exception {
        try (ChatClient c = user(Api.newName("raw"))) { // a socket has opened and had its welcome
            URI live = URI.create("http://" + base().getHost() + ":" + base().getPort() + "/health/live");
            Api.Reply r = Api.call(java.net.http.HttpRequest.newBuilder(live).timeout(Duration.ofSeconds(20)).GET().build());
            assertEquals(200, r.status(), r.body());
            assertEquals("installed", Api.healthData(r, "chat", "tyrus-idle-timer-patch"), r.body());
            assertEquals("in_use", Api.healthData(r, "chat", "tyrus-raw-frames"), r.body());
        }
    }

    /** A figure of the node's Prometheus text (a counter or gauge line, labels included); 0 when absent. */
    private long metric(String line) throws Exception {
        Api.Reply r = Api.call(java.net.http.HttpRequest.newBuilder(base().resolve("api/metrics"))
                .timeout(Duration.ofSeconds(20)).GET().build());
        assertEquals(200, r.status(), r.body());
        assertTrue(r.header("Content-Type").startsWith("text/plain"), r.header("Content-Type"));
        return r.body().lines().filter(l -> l.startsWith(line + " ")).mapToLong(l -> (long) Double.parseDouble(
                l.substring(line.length() + 1))).findFirst().orElse(0);
    }

    /** The node's own figures move with traffic: sends, deliveries, errors by code, closes by code, open sockets. */
    @Test
    void metricsCountWhatHappened() throws Exception {
        String room = Api.newName("metrics");
        long sends = metric("chat_sends_total");
        long deliveries = metric("chat_deliveries_total");
        long appends = metric("chat_append_seconds_count");
        long badRequests = metric("chat_errors_total{code=\"bad_request\"}");
        long tooBig = metric("chat_closes_total{code=\"1009\"}");
        try (ChatClient a = user(Api.newName("mia")); ChatClient b = user(Api.newName("mio"))) {
            a.joined(join(room));
            b.joined(join(room));
            assertTrue(metric("chat_sockets_open") >= 2);
            for (int i = 0; i < 3; i++) {
                a.request(send(room, "counted " + i, "m" + i), "ack");
                b.await(f -> "message".equals(f.getString("type")));
            }
            assertErrorFrame(a.request("{\"type\":\"nonsense\"}", "never"), "bad_request", null);
            a.socket().sendText("x".repeat(70_000), true);
            assertEquals(1009, a.awaitClose());
        }
        assertEquals(sends + 3, metric("chat_sends_total"));
        assertEquals(appends + 3, metric("chat_append_seconds_count"));
        assertTrue(metric("chat_deliveries_total") >= deliveries + 6, "3 messages to 2 sockets");
        assertEquals(badRequests + 1, metric("chat_errors_total{code=\"bad_request\"}"));
        long closes = 0;
        for (int i = 0; i < 50 && closes <= tooBig; i++) {
            closes = metric("chat_closes_total{code=\"1009\"}");
            Thread.sleep(100);
        }
        assertEquals(tooBig + 1, closes, "the socket closed for a frame over 64 KiB");
    }

    /**
     * The HTTP API's OpenAPI document, as the runtime serves it at /openapi, is valid (swagger-parser
     * finds nothing to report), lists every path, and its body schemas have exactly the fields of the
     * records the server reads and writes.
     */
    @Test
    void theHttpApiIsDescribedByAValidOpenApiDocument() throws Exception {
        var api = ApiDocuments.openApi(URI.create("http://" + base().getHost() + ":" + base().getPort() + "/openapi"));
        assertEquals(java.util.Set.of("/api/users", "/api/sessions", "/api/sessions/current", "/api/rooms/{room}/invites",
                "/api/rooms/{room}/invites/{id}", "/api/metrics", "/api/auth", "/api/sessions/sso", "/api/sessions/current/renewal",
                "/api/rooms/{room}/webhooks", "/api/rooms/{room}/webhooks/{id}", "/api/hooks/{id}/{secret}",
                "/api/bots", "/api/bots/{name}/tokens"),
                api.getPaths().keySet());
        var schemas = api.getComponents().getSchemas();
        for (Class<?> body : List.of(org.redischat.api.AccountResource.Credentials.class,
                org.redischat.api.AccountResource.UserBody.class, org.redischat.api.AccountResource.TokenBody.class,
                org.redischat.api.InviteResource.InviteBody.class, org.redischat.api.InviteResource.LinkBody.class,
                org.redischat.api.InviteResource.LinksBody.class, org.redischat.api.ProviderResource.MethodsBody.class,
                org.redischat.api.ProviderResource.SessionBody.class, org.redischat.api.ProviderResource.RenewedBody.class)) {
            assertEquals(ApiDocuments.fields(body), schemas.get(body.getSimpleName()).getProperties().keySet(), body.getName());
        }
        assertEquals(ApiDocuments.fields(org.redischat.wire.HttpErrors.Body.class), schemas.get("ErrorBody").getProperties().keySet());
        assertEquals(ApiDocuments.fields(org.redischat.accounts.Bots.Issued.class), schemas.get("BotToken").getProperties().keySet());
        assertEquals(ApiDocuments.fields(org.redischat.api.BotResource.BotsBody.class), schemas.get("BotsBody").getProperties().keySet());
    }

    /**
     * A node with no Redis configured and no request for the development one does not chat alone: it
     * is never ready, says why in one log line and in its readiness data, and refuses sign-ins with 503
     * at once. The WAR carries no embedded Redis.
     */
    @Test
    void aNodeWithoutRedisIsNotReadyAndSaysWhy() throws Exception {
        try (var war = new java.util.zip.ZipFile(System.getProperty("it.war"))) {
            assertTrue(war.stream().noneMatch(e -> e.getName().contains("embedded-redis")), "the WAR has no embedded Redis");
        }
        try (PayaraMicroNode alone = PayaraMicroNode.startWithoutRedis(Integer.getInteger("it.port5", 18084))) {
            URI ready = URI.create("http://127.0.0.1:" + alone.base.getPort() + "/health/ready");
            Api.Reply health = Api.call(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(20)).GET().build());
            assertEquals(503, health.status(), health.body());
            String why = Api.healthData(health, "redis", "missing");
            assertTrue(why != null && why.startsWith("no Redis configured"), health.body());
            long t0 = System.nanoTime();
            assertEquals(503, Api.post(alone.base, "api/sessions", Api.credentials("nobody", "password-1")).status());
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos(), "refused promptly");
            Thread.sleep(3000); // the bus and presence timers have ticked meanwhile
            List<String> lines = java.nio.file.Files.readAllLines(alone.log.toPath()).stream()
                    .filter(l -> l.contains("no Redis configured")).toList();
            assertEquals(1, lines.size(), "one log line says it: " + lines);
            // this node logs JSON lines (server-config/logging-json.properties)
            JsonObject line = jakarta.json.Json.createReader(new java.io.StringReader(lines.get(0))).readObject();
            assertEquals("SEVERE", line.getString("Level"), lines.get(0));
            assertTrue(line.getString("LogMessage").startsWith("no Redis configured"), lines.get(0));
        }
    }
}
