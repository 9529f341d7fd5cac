package org.redischat.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rules of the HTTP guard that need no container: which bodies the API takes, and the page's policy. */
class HttpGuardTest {

    @Test
    void theApiTakesJsonOrNoContentTypeButNothingACrossSiteFormCanSend() {
        assertTrue(HttpGuard.jsonOrNone(null));
        assertTrue(HttpGuard.jsonOrNone("application/json"));
        assertTrue(HttpGuard.jsonOrNone("Application/JSON; charset=utf-8"));
        assertTrue(HttpGuard.jsonOrNone("application/merge-patch+json"));
        assertFalse(HttpGuard.jsonOrNone("text/plain"));
        assertFalse(HttpGuard.jsonOrNone("text/plain;charset=UTF-8"));
        assertFalse(HttpGuard.jsonOrNone("application/x-www-form-urlencoded"));
        assertFalse(HttpGuard.jsonOrNone("multipart/form-data; boundary=x"));
    }

    @Test
    void thePolicyAllowsOnlyTheServersOwnScriptsAndSockets() {
        String p = HttpGuard.policy("chat.example.org:8443", null);
        assertTrue(p.contains("script-src 'self';"), p);
        assertFalse(p.contains("unsafe-inline"), p);
        assertTrue(p.contains("connect-src 'self' ws://chat.example.org:8443 wss://chat.example.org:8443;"), p);
        assertTrue(p.contains("frame-ancestors 'none'"), p);
        assertEquals(HttpGuard.policy(null, null), HttpGuard.policy("evil.example; script-src *", null), "a Host that is no host is left out");
    }

    @Test
    void withSingleSignOnThePageMayAlsoAskTheProviderForTokens() {
        String origin = HttpGuard.originOf("https://id.example.com/realms/chat");
        assertEquals("https://id.example.com", origin);
        assertEquals("http://127.0.0.1:18180", HttpGuard.originOf("http://127.0.0.1:18180/realms/chat"));
        String p = HttpGuard.policy("chat.example.org", origin);
        assertTrue(p.contains("connect-src 'self' ws://chat.example.org wss://chat.example.org https://id.example.com;"), p);
        assertEquals(null, HttpGuard.originOf("javascript:alert(1)"));
        assertEquals(null, HttpGuard.originOf("https://id.example.com; script-src */x"));
        assertEquals(null, HttpGuard.originOf("not a url"));
    }

    /**
     * Payara Server's JAX-RS asks the request for its stream again between reads: each ask must go on
     * where the last read stopped (a new stream from the start each time read forever, out of memory).
     */
    @Test
    void theBufferedBodyIsOneStreamHoweverOftenItIsAskedFor() throws Exception {
        jakarta.servlet.http.HttpServletRequest plain = (jakarta.servlet.http.HttpServletRequest) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {jakarta.servlet.http.HttpServletRequest.class}, (p, m, a) -> null);
        HttpGuard.Buffered request = new HttpGuard.Buffered(plain, "{\"a\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[3];
        for (int n; (n = request.getInputStream().read(chunk, 0, chunk.length)) >= 0; ) {
            out.write(chunk, 0, n);
            assertTrue(out.size() <= 7, "read past the body's end: it started over");
        }
        assertEquals("{\"a\":1}", out.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(request.getInputStream().isFinished());
        assertEquals(7, request.getContentLength());
    }
}
