package org.redischat.sso;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Whether a provider's token is to be believed, and what it says: the signature by one of the
 * issuer's keys with an asymmetric algorithm (RS, PS and ES with SHA-256/384/512; {@code none} and
 * the HMAC algorithms are refused), {@code iss} equal to the configured issuer, {@code aud} holding
 * the configured audience, {@code exp} in the future and {@code nbf} (when present) in the past,
 * both with a leeway for clocks apart.
 */
public final class TokenCheck {

    /** The identity a believed token carries: its subject, the named claims, its expiry. */
    public record Identity(String subject, String username, List<String> groups, Instant expires) {
    }

    private record Algorithm(String keyType, String jca, PSSParameterSpec pss) {
    }

    private static final Map<String, Algorithm> ALGORITHMS = Map.of(
            "RS256", new Algorithm("RSA", "SHA256withRSA", null),
            "RS384", new Algorithm("RSA", "SHA384withRSA", null),
            "RS512", new Algorithm("RSA", "SHA512withRSA", null),
            "PS256", new Algorithm("RSA", "RSASSA-PSS", new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1)),
            "PS384", new Algorithm("RSA", "RSASSA-PSS", new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1)),
            "PS512", new Algorithm("RSA", "RSASSA-PSS", new PSSParameterSpec("SHA-512", "MGF1", MGF1ParameterSpec.SHA512, 64, 1)),
            "ES256", new Algorithm("EC", "SHA256withECDSAinP1363Format", null),
            "ES384", new Algorithm("EC", "SHA384withECDSAinP1363Format", null),
            "ES512", new Algorithm("EC", "SHA512withECDSAinP1363Format", null));

    private final String issuer;
    private final String audience;
    private final String usernameClaim;
    private final String groupsClaim;
    private final Duration leeway;

    public TokenCheck(String issuer, String audience, String usernameClaim, String groupsClaim, Duration leeway) {
        this.issuer = issuer;
        this.audience = audience;
        this.usernameClaim = usernameClaim;
        this.groupsClaim = groupsClaim;
        this.leeway = leeway;
    }

    /** True when the text has the shape of a signed JWT (three base64url parts), whatever it says. */
    public static boolean isJwt(String token) {
        return SignedToken.looksLikeOne(token);
    }

    /**
     * The token's identity, or {@link InvalidToken} saying why not. {@code keys} gives the issuer's
     * keys: called with false first, and with true (fetch them again) once when no key matches.
     */
    public Identity check(String token, Function<Boolean, KeySet> keys, Instant now) {
        SignedToken t = SignedToken.parse(token);
        String alg = text(t.header(), "alg");
        Algorithm a = alg == null ? null : ALGORITHMS.get(alg);
        if (a == null) {
            throw new InvalidToken("algorithm " + alg + " is not accepted");
        }
        String kid = text(t.header(), "kid");
        Optional<KeySet.Key> key = keys.apply(false).find(kid, a.keyType());
        if (key.isEmpty()) {
            key = keys.apply(true).find(kid, a.keyType());
        }
        if (key.isEmpty()) {
            throw new InvalidToken("no key of the issuer matches the token's key id");
        }
        if (!verifies(a, key.get(), t)) {
            throw new InvalidToken("the signature does not verify");
        }
        JsonObject c = t.claims();
        if (!issuer.equals(text(c, "iss"))) {
            throw new InvalidToken("issued by another issuer");
        }
        if (!audiences(c).contains(audience)) {
            throw new InvalidToken("meant for another audience");
        }
        Instant exp = time(c, "exp").orElseThrow(() -> new InvalidToken("no expiry"));
        if (!now.isBefore(exp.plus(leeway))) {
            throw new InvalidToken("expired");
        }
        Optional<Instant> nbf = time(c, "nbf");
        if (nbf.isPresent() && now.plus(leeway).isBefore(nbf.get())) {
            throw new InvalidToken("not valid yet");
        }
        String subject = text(c, "sub");
        if (subject == null || subject.isEmpty()) {
            throw new InvalidToken("no subject");
        }
        return new Identity(subject, text(c, usernameClaim), strings(c.get(groupsClaim)), exp);
    }

    private static boolean verifies(Algorithm a, KeySet.Key key, SignedToken t) {
        try {
            Signature s = Signature.getInstance(a.jca());
            if (a.pss() != null) {
                s.setParameter(a.pss());
            }
            s.initVerify(key.key());
            s.update(t.signedPart());
            return s.verify(t.signature());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static List<String> audiences(JsonObject c) {
        return strings(c.get("aud"));
    }

    /** A claim that is a string or an array of strings, as a list (other values: empty). */
    private static List<String> strings(JsonValue v) {
        List<String> out = new ArrayList<>();
        if (v instanceof JsonString s) {
            out.add(s.getString());
        } else if (v instanceof JsonArray array) {
            for (JsonValue e : array) {
                if (e instanceof JsonString s) {
                    out.add(s.getString());
                }
            }
        }
        return out;
    }

    private static Optional<Instant> time(JsonObject c, String name) {
        return c.get(name) instanceof JsonNumber n ? Optional.of(Instant.ofEpochSecond(n.longValue())) : Optional.empty();
    }

    private static String text(JsonObject o, String name) {
        return o.get(name) instanceof JsonString s ? s.getString() : null;
    }
}
