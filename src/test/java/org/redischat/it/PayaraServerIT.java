package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redischat.it.Frames.join;
import static org.redischat.it.Frames.send;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

/**
 * The WAR deployed the way a corporate shop deploys it: into a running Payara Server 6 domain with
 * {@code asadmin deploy}, Redis set as a system property of the domain. It chats with a Payara Micro
 * node (Arquillian's) on the same Redis. The domain is created for the test with its ports moved
 * (base 19000: HTTP on 19080, admin on 19048) and deleted afterwards.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PayaraServerIT {

    private static final String DOMAIN = "chat-it";
    private static final int PORT_BASE = 19000;
    private static final int ADMIN = PORT_BASE + 48;
    private static final URI BASE = URI.create("http://127.0.0.1:" + (PORT_BASE + 80) + "/chat/");
    private static Path home;
    private static File log;

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL url;

    /** Runs asadmin with the arguments; fails with its output when it fails. */
    private static void asadmin(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/asadmin").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        // asadmin and the domain it starts run on this test's JDK
        pb.environment().put("AS_JAVA", System.getProperty("java.home"));
        Process p = pb.start();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("asadmin " + String.join(" ", args) + " did not end; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("asadmin " + String.join(" ", args) + " failed; see " + log);
        }
    }

    @BeforeAll
    static void deployIntoADomain() throws Exception {
        home = Path.of(System.getProperty("payara.server.home"));
        log = new File("target/payara-server-it.log");
        Files.deleteIfExists(log.toPath());
        asadmin("create-domain", "--nopassword", "--portbase", String.valueOf(PORT_BASE), DOMAIN);
        asadmin("start-domain", DOMAIN);
        String redis = System.getProperty("test.redis.address").replace(":", "\\:");
        asadmin("--port", String.valueOf(ADMIN), "create-system-properties", "redis.address=" + redis);
        asadmin("--port", String.valueOf(ADMIN), "deploy", "--contextroot", "chat", "--name", "chat",
                System.getProperty("it.war"));
    }

    @AfterAll
    static void deleteTheDomain() throws Exception {
        if (home != null) {
            try {
                asadmin("stop-domain", "--kill", DOMAIN);
            } finally {
                asadmin("delete-domain", DOMAIN);
            }
        }
    }

    @Test
    void chatsAcrossAPayaraServerDomainAndAPayaraMicroNode() throws Exception {
        String room = Api.newName("ps");
        try (ChatClient onServer = ChatClient.connect(BASE, Api.signUp(BASE, Api.newName("sam")));
                ChatClient onMicro = ChatClient.connect(url.toURI(), Api.signUp(url.toURI(), Api.newName("mic")))) {
            onServer.joined(join(room));
            onMicro.joined(join(room));
            long id = onServer.acked(send(room, "from the domain", "s1"));
            JsonObject got = onMicro.await(f -> "message".equals(f.getString("type")));
            assertEquals(id, got.getJsonNumber("id").longValue());
            assertEquals("from the domain", got.getString("text"));
            long back = onMicro.acked(send(room, "from micro", "m1"));
            assertEquals(back, onServer.await(f -> "message".equals(f.getString("type"))
                    && "from micro".equals(f.getString("text"))).getJsonNumber("id").longValue());
        }
        Api.Reply page = Api.call(java.net.http.HttpRequest.newBuilder(BASE).GET().build());
        assertEquals(200, page.status());
        assertTrue(page.body().contains("<title>Chat</title>"), "the web client is served from the domain");
    }
}
