package org.redischat.it;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * A real Keycloak, from the distribution the build unpacks into {@code target/}, in development
 * mode (its own H2 database, fresh per start) with the realm {@code src/test/keycloak/chat-realm.json}
 * imported: groups {@code staff} and {@code chat-admins}, the public client {@code chat-web} whose
 * access tokens carry the audience {@code chat} and a {@code groups} claim, tokens of 30 s.
 * Started once per test JVM ({@link #shared()}), stopped when it exits. Keycloak needs Java 21 or
 * later: the first such JDK under /usr/lib/jvm (or {@code -Dmodern.java.home}).
 */
final class Keycloak {

    static final String REALM = "chat";
    static final String CLIENT = "chat-web";

    private static Keycloak shared;

    final URI base;
    final String issuer;
    final File log;
    private final Process process;

    private Keycloak(Process process, URI base, File log) {
        this.process = process;
        this.base = base;
        this.issuer = base + "realms/" + REALM;
        this.log = log;
    }

    static synchronized Keycloak shared() throws Exception {
        if (shared == null) {
            shared = start(Integer.getInteger("it.keycloak.port", 18180));
            Keycloak k = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                k.process.descendants().forEach(ProcessHandle::destroy);
                k.process.destroy();
            }));
        }
        return shared;
    }

    private static Keycloak start(int port) throws Exception {
        TestNode.requireFree(port);
        Path home = Path.of(System.getProperty("keycloak.home"));
        deleteTree(home.resolve("data"));
        Files.createDirectories(home.resolve("data/import"));
        Files.copy(Path.of("src/test/keycloak/chat-realm.json"), home.resolve("data/import/chat-realm.json"),
                StandardCopyOption.REPLACE_EXISTING);
        File log = new File("target/keycloak.log");
        ProcessBuilder b = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port", String.valueOf(port), "--http-host", "127.0.0.1", "--import-realm")
                .redirectErrorStream(true).redirectOutput(log);
        b.environment().put("JAVA_HOME", TestNode.modernJavaHome());
        b.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        b.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
        long t0 = System.nanoTime();
        Process p = b.start();
        Keycloak k = new Keycloak(p, URI.create("http://127.0.0.1:" + port + "/"), log);
        long end = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + p.exitValue() + ":\n" + Api.tail(log, 60));
            }
            try {
                if (Api.call(HttpRequest.newBuilder(URI.create(k.issuer + "/.well-known/openid-configuration"))
                        .timeout(Duration.ofSeconds(5)).build()).status() == 200) {
                    break;
                }
            } catch (IllegalStateException e) {
                // not listening yet
            }
            if (System.nanoTime() > end) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                throw new IllegalStateException("Keycloak not ready in 180 s:\n" + Api.tail(log, 60));
            }
            Thread.sleep(500);
        }
        System.out.printf("Keycloak ready in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        return k;
    }

    /** The user's tokens from the token endpoint, by the password grant (a command-line client's way). */
    JsonObject passwordGrant(String user, String password) {
        return tokenEndpoint(Map.of("grant_type", "password", "client_id", CLIENT, "username", user,
                "password", password, "scope", "openid"));
    }

    /** New tokens for a refresh token, as the web client renews; the error answer when refused. */
    JsonObject refresh(String refreshToken) {
        return tokenEndpoint(Map.of("grant_type", "refresh_token", "client_id", CLIENT, "refresh_token", refreshToken));
    }

    private JsonObject tokenEndpoint(Map<String, String> form) {
        Api.Reply r = Api.call(HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(form(form))).build());
        return r.json();
    }

    /** Creates an enabled user with a password, in the given groups; returns the user's id. */
    String createUser(String name, String password, String... groups) {
        var g = Json.createArrayBuilder();
        for (String group : groups) {
            g.add("/" + group);
        }
        JsonObject user = Json.createObjectBuilder().add("username", name).add("enabled", true)
                .add("email", name + "@example.test").add("emailVerified", true).add("firstName", name).add("lastName", "Test")
                .add("credentials", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("type", "password").add("value", password).add("temporary", false)))
                .add("groups", g).build();
        Api.Reply r = admin("POST", "/users", user.toString());
        if (r.status() != 201) {
            throw new IllegalStateException("user not created: " + r.status() + " " + r.body());
        }
        String location = r.header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** Disables the user, as an administrator does when someone leaves the company. */
    void disable(String userId) {
        Api.Reply r = admin("PUT", "/users/" + userId, "{\"enabled\":false}");
        if (r.status() != 204) {
            throw new IllegalStateException("user not disabled: " + r.status() + " " + r.body());
        }
    }

    /** Takes the user out of a group, as an administrator does when someone changes teams. */
    void leaveGroup(String userId, String group) {
        Api.Reply groups = admin("GET", "/groups?search=" + URLEncoder.encode(group, StandardCharsets.UTF_8), "");
        String groupId = Json.createReader(new java.io.StringReader(groups.body())).readArray()
                .getValuesAs(JsonObject.class).stream().filter(g -> group.equals(g.getString("name")))
                .findFirst().orElseThrow(() -> new IllegalStateException("no group " + group + ": " + groups.body()))
                .getString("id");
        Api.Reply r = admin("DELETE", "/users/" + userId + "/groups/" + groupId, "");
        if (r.status() != 204) {
            throw new IllegalStateException("not taken out of " + group + ": " + r.status() + " " + r.body());
        }
    }

    private Api.Reply admin(String method, String path, String body) {
        String token = tokenEndpointOf("master", Map.of("grant_type", "password", "client_id", "admin-cli",
                "username", "admin", "password", "admin")).getString("access_token");
        return Api.call(HttpRequest.newBuilder(URI.create(base + "admin/realms/" + REALM + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20)).method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private JsonObject tokenEndpointOf(String realm, Map<String, String> form) {
        return Api.call(HttpRequest.newBuilder(URI.create(base + "realms/" + realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(form(form))).build()).json();
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
