package org.redischat.sso;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/** An issuer for the tests: its own RSA and EC keys, its key set, tokens signed as a provider signs them. */
final class TestIssuer {

    static final String ISSUER = "https://id.example.test/realms/chat";

    final KeyPair rsa;
    final KeyPair ec;

    TestIssuer() {
        try {
            KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
            r.initialize(2048);
            rsa = r.generateKeyPair();
            KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
            e.initialize(new ECGenParameterSpec("secp256r1"));
            ec = e.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key set as the provider publishes it: the RSA key as "r1", the EC key as "e1", and an encryption key. */
    String keySet() {
        RSAPublicKey r = (RSAPublicKey) rsa.getPublic();
        ECPublicKey e = (ECPublicKey) ec.getPublic();
        return Json.createObjectBuilder().add("keys", Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("kty", "RSA").add("kid", "r1").add("use", "sig").add("alg", "RS256")
                        .add("n", b64(r.getModulus())).add("e", b64(r.getPublicExponent())))
                .add(Json.createObjectBuilder().add("kty", "EC").add("kid", "e1").add("crv", "P-256")
                        .add("x", b64(e.getW().getAffineX(), 32)).add("y", b64(e.getW().getAffineY(), 32)))
                .add(Json.createObjectBuilder().add("kty", "RSA").add("kid", "enc").add("use", "enc")
                        .add("n", b64(r.getModulus())).add("e", b64(r.getPublicExponent()))))
                .build().toString();
    }

    /** Claims as Keycloak puts them in an access token, valid for 5 minutes from now. */
    static JsonObjectBuilder claims(String username) {
        long now = Instant.now().getEpochSecond();
        return Json.createObjectBuilder().add("iss", ISSUER).add("aud", Json.createArrayBuilder().add("chat").add("account"))
                .add("sub", "sub-" + username).add("preferred_username", username).add("iat", now).add("exp", now + 300)
                .add("groups", Json.createArrayBuilder().add("staff"));
    }

    String sign(String alg, String kid, JsonObject claims) {
        JsonObjectBuilder h = Json.createObjectBuilder().add("alg", alg).add("typ", "JWT");
        if (kid != null) {
            h.add("kid", kid);
        }
        String signed = b64(h.build().toString()) + "." + b64(claims.toString());
        try {
            Signature s;
            switch (alg) {
                case "RS256" -> s = Signature.getInstance("SHA256withRSA");
                case "PS256" -> {
                    s = Signature.getInstance("RSASSA-PSS");
                    s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                }
                case "ES256" -> s = Signature.getInstance("SHA256withECDSAinP1363Format");
                default -> throw new IllegalArgumentException(alg);
            }
            s.initSign(alg.startsWith("ES") ? ec.getPrivate() : rsa.getPrivate());
            s.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String sign(JsonObject claims) {
        return sign("RS256", "r1", claims);
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(BigInteger n) {
        byte[] b = n.toByteArray();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b);
    }

    private static String b64(BigInteger n, int length) {
        byte[] b = n.toByteArray();
        byte[] out = new byte[length];
        int from = Math.max(0, b.length - length);
        System.arraycopy(b, from, out, length - (b.length - from), b.length - from);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }
}
