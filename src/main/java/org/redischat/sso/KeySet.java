package org.redischat.sso;

import java.io.StringReader;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * The signing keys an issuer publishes (a JWK Set, RFC 7517): RSA and EC (P-256, P-384, P-521)
 * public keys meant for signatures. Keys of other types or uses are left out, not refused: a
 * provider's set also holds encryption keys.
 */
public final class KeySet {

    /** One public key, with its id ({@code kid}, may be null) and its type ({@code RSA} or {@code EC}). */
    record Key(String id, String type, PublicKey key) {
    }

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final Map<String, String> CURVES = Map.of("P-256", "secp256r1", "P-384", "secp384r1", "P-521", "secp521r1");

    private final List<Key> keys;

    private KeySet(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    public static KeySet parse(String json) {
        JsonValue v;
        try (var reader = JSON.createReader(new StringReader(json))) {
            v = reader.readValue();
        } catch (JsonException | IllegalStateException e) {
            throw new IllegalArgumentException("a JWK Set is a JSON object", e);
        }
        if (!(v instanceof JsonObject set) || !(set.get("keys") instanceof jakarta.json.JsonArray array)) {
            throw new IllegalArgumentException("a JWK Set has a \"keys\" array");
        }
        List<Key> keys = new ArrayList<>();
        for (JsonValue k : array) {
            if (k instanceof JsonObject jwk) {
                key(jwk).ifPresent(keys::add);
            }
        }
        return new KeySet(keys);
    }

    int size() {
        return keys.size();
    }

    /**
     * The key a token's header names: by {@code kid}; without one, the only key of the type.
     * Empty when none matches (the caller may fetch the set again: the issuer may have rotated).
     */
    Optional<Key> find(String kid, String type) {
        if (kid != null) {
            return keys.stream().filter(k -> kid.equals(k.id()) && k.type().equals(type)).findFirst();
        }
        List<Key> ofType = keys.stream().filter(k -> k.type().equals(type)).toList();
        return ofType.size() == 1 ? Optional.of(ofType.get(0)) : Optional.empty();
    }

    private static Optional<Key> key(JsonObject jwk) {
        String use = text(jwk, "use");
        if (use != null && !use.equals("sig")) {
            return Optional.empty();
        }
        String kty = text(jwk, "kty");
        String kid = text(jwk, "kid");
        try {
            if ("RSA".equals(kty) && text(jwk, "n") != null && text(jwk, "e") != null) {
                PublicKey k = KeyFactory.getInstance("RSA").generatePublic(
                        new RSAPublicKeySpec(number(jwk, "n"), number(jwk, "e")));
                return Optional.of(new Key(kid, "RSA", k));
            }
            String curve = CURVES.get(text(jwk, "crv"));
            if ("EC".equals(kty) && curve != null && text(jwk, "x") != null && text(jwk, "y") != null) {
                AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
                p.init(new ECGenParameterSpec(curve));
                ECParameterSpec spec = p.getParameterSpec(ECParameterSpec.class);
                PublicKey k = KeyFactory.getInstance("EC").generatePublic(
                        new ECPublicKeySpec(new ECPoint(number(jwk, "x"), number(jwk, "y")), spec));
                return Optional.of(new Key(kid, "EC", k));
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // a key this node cannot use is left out
        }
        return Optional.empty();
    }

    private static BigInteger number(JsonObject jwk, String name) {
        return new BigInteger(1, Base64.getUrlDecoder().decode(text(jwk, name)));
    }

    private static String text(JsonObject o, String name) {
        return o.get(name) instanceof JsonString s ? s.getString() : null;
    }
}
