package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/** The HTTP part of docs/PROTOCOL.md, as a client would call it. */
final class Api {

    // HTTP/1.1: no h2c upgrade attempts; every request has a deadline, so a stuck one cannot stall a test
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(java.time.Duration.ofSeconds(5)).build();

    private Api() {
    }

    record Reply(int status, String body, java.net.http.HttpHeaders headers) {
        JsonObject json() {
            return Json.createReader(new StringReader(body)).readObject();
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /** The operator's key ({@code auth.admin-key}) the Arquillian-managed node is started with (arquillian.xml). */
    static final String ADMIN_KEY = "it-operator-key-0123456789abcdefghij";

    static Reply post(URI base, String path, String body) {
        return call(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .timeout(java.time.Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** A POST of JSON as a client behind the trusted proxy would send it: its address in X-Forwarded-For. */
    static Reply postFrom(URI base, String path, String body, String clientAddress) {
        return call(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .header("X-Forwarded-For", clientAddress)
                .timeout(java.time.Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** A POST without a body, as {@code token}'s user. */
    static Reply postAs(URI base, String path, String token) {
        return call(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                .timeout(java.time.Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** A POST of JSON as {@code token}'s user. */
    static Reply postJsonAs(URI base, String path, String token, String body) {
        return call(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .timeout(java.time.Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static Reply delete(URI base, String path, String token) {
        return call(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                .timeout(java.time.Duration.ofSeconds(20)).DELETE().build());
    }

    static Reply call(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value of a data field of a named check in a MicroProfile Health answer (null when absent). */
    static String healthData(Reply health, String check, String field) {
        return health.json().getJsonArray("checks").getValuesAs(jakarta.json.JsonObject.class).stream()
                .filter(c -> check.equals(c.getString("name")) && c.containsKey("data"))
                .map(c -> c.getJsonObject("data").getString(field, null)).findFirst().orElse(null);
    }

    static String credentials(String user, String password) {
        return "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
    }

    /**
     * Waits up to 180 s until a node's health endpoint answers with the application's Redis check (any
     * status) and its HTTP API is deployed (a sign-in answers anything but 404); fails early if the
     * process dies.
     */
    static void awaitDeployed(Process process, URI base, URI health, java.io.File log) throws InterruptedException {
        long end = System.nanoTime() + java.time.Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("node died at boot; see " + log);
            }
            try {
                if (call(HttpRequest.newBuilder(health).timeout(java.time.Duration.ofSeconds(5)).GET().build())
                        .body().contains("redis") && post(base, "api/sessions", "{}").status() != 404) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("no health answer in 180 s; see " + log);
    }

    /**
     * Waits up to 180 s until a node process's application answers at {@code base} (a login without
     * credentials is refused with 400, or with 403 {@code local_off} where only single sign-on is on);
     * fails early if the process dies.
     */
    static void awaitReady(Process process, URI base, String node, java.io.File log) throws InterruptedException {
        long end = System.nanoTime() + java.time.Duration.ofSeconds(180).toNanos();
        String last = "no answer";
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException(node + " died at boot; see " + log);
            }
            try {
                Reply reply = post(base, "api/sessions", "{}");
                if (reply.status() == 400 || reply.status() == 403 && reply.body().contains("\"local_off\"")) {
                    return;
                }
                last = "HTTP " + reply.status() + " " + reply.body();
            } catch (IllegalStateException notYet) {
                last = String.valueOf(notYet.getCause()); // connection refused while booting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(node + " not ready in 180 s (last: " + last + "); see " + log
                + "; its last lines:\n" + tail(log, 60));
    }

    /** The last {@code lines} lines of a node's log, so that a failed boot says why where the run is read. */
    static String tail(java.io.File log, int lines) {
        try {
            java.util.List<String> all = java.nio.file.Files.readAllLines(log.toPath(), java.nio.charset.StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** A fresh user name, unique across test runs on one Redis. */
    static String newName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Registers a user and returns a token. */
    /** A new token of a user made by {@link #signUp}. */
    static String signIn(URI base, String user) {
        Reply login = post(base, "api/sessions", credentials(user, "password-1"));
        assertEquals(200, login.status());
        return login.json().getString("token");
    }

    static Reply get(URI base, String path, String token) {
        return call(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                .timeout(java.time.Duration.ofSeconds(20)).GET().build());
    }

    static String signUp(URI base, String user) {
        assertEquals(201, post(base, "api/users", credentials(user, "password-1")).status());
        Reply login = post(base, "api/sessions", credentials(user, "password-1"));
        assertEquals(200, login.status());
        return login.json().getString("token");
    }
}
