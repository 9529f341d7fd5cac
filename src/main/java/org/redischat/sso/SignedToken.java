package org.redischat.sso;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * A JWS in compact form, split and decoded but not yet trusted: its header, its claims, the bytes
 * the signature covers and the signature.
 */
record SignedToken(JsonObject header, JsonObject claims, byte[] signedPart, byte[] signature) {

    /** Longer tokens are refused before any decoding (a provider's access token is 1–4 KiB). */
    static final int MAX_LENGTH = 16_384;

    private static final JsonProvider JSON = JsonProvider.provider();

    /** True when the text has the shape of a compact JWS: three base64url parts. */
    static boolean looksLikeOne(String token) {
        if (token == null || token.length() > MAX_LENGTH) {
            return false;
        }
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                dots++;
            } else if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return dots == 2;
    }

    static SignedToken parse(String token) {
        if (!looksLikeOne(token)) {
            throw new InvalidToken("not a signed JWT");
        }
        int a = token.indexOf('.');
        int b = token.indexOf('.', a + 1);
        try {
            Base64.Decoder d = Base64.getUrlDecoder();
            JsonObject header = object(d.decode(token.substring(0, a)));
            JsonObject claims = object(d.decode(token.substring(a + 1, b)));
            byte[] signature = d.decode(token.substring(b + 1));
            return new SignedToken(header, claims, token.substring(0, b).getBytes(StandardCharsets.US_ASCII), signature);
        } catch (IllegalArgumentException e) {
            throw new InvalidToken("not base64url");
        }
    }

    private static JsonObject object(byte[] json) {
        try (var reader = JSON.createReader(new StringReader(new String(json, StandardCharsets.UTF_8)))) {
            JsonValue v = reader.readValue();
            if (v instanceof JsonObject o) {
                return o;
            }
        } catch (JsonException | IllegalStateException e) {
            // answered below
        }
        throw new InvalidToken("a part is not a JSON object");
    }
}
