package org.redischat.api;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.spi.JsonProvider;
import jakarta.servlet.http.HttpServletRequest;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.accounts.LoginRate;
import org.redischat.wire.Username;

/**
 * The sign-in and sign-up budgets ({@link LoginRate}), checked by {@link HttpGuard} before the
 * request reaches JAX-RS: a throttled client is answered 429 by the filter, and once a budget is known
 * spent on this node, without Redis either, so a guessing flood costs a node little. Which client a
 * request comes from is decided here too ({@link ClientAddress}).
 */
@ApplicationScoped
public class SignInGate {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    LoginRate rate;

    /** The proxies whose X-Forwarded-For names the client (addresses or CIDR blocks); none: the remote address. */
    @Inject
    @ConfigProperty(name = "auth.proxies.trusted")
    Optional<String> trustedProxies;

    private ClientAddress clients;

    @PostConstruct
    void init() {
        clients = new ClientAddress(List.of(trustedProxies.orElse("").split(",")));
    }

    /** The client's address as the budgets count it. */
    public String client(HttpServletRequest request) {
        return clients.of(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"));
    }

    /**
     * Milliseconds the client must wait before this request may go on (0: now). Every sign-in, sign-up
     * and single sign-on session or renewal takes from the client's address budget; a sign-in must also find the budget of failures
     * of the username it names, from this client, not spent (it takes nothing from it: only a failure
     * does, {@link LoginRate#failed}).
     */
    long wait(String path, HttpServletRequest request, byte[] body) {
        Budget budget = budgetOf(path);
        if (budget == Budget.NONE) {
            return 0;
        }
        String client = client(request);
        long wait = rate.addressWait(client);
        if (wait > 0 || budget == Budget.ADDRESS) {
            return wait;
        }
        return rate.failureWait(username(body), client);
    }

    /** Which budgets a POST takes from. */
    enum Budget {
        NONE, ADDRESS, ADDRESS_AND_FAILURES
    }

    /**
     * A password sign-in: the address and the username's failures; a sign-up, a single sign-on
     * session and its renewal (each checks a signature and may write to Redis): the address.
     */
    static Budget budgetOf(String path) {
        return switch (path) {
            case "/api/sessions" -> Budget.ADDRESS_AND_FAILURES;
            case "/api/users", "/api/sessions/sso", "/api/sessions/current/renewal" -> Budget.ADDRESS;
            default -> Budget.NONE;
        };
    }

    /** The normalized username a sign-in body names ("-" for none or a malformed one, which can match no account). */
    static String username(byte[] body) {
        try (var reader = JSON.createReader(new ByteArrayInputStream(body))) {
            if (reader.readValue() instanceof JsonObject o && o.get("username") instanceof JsonString u) {
                return Username.normalize(u.getString()).orElse("-");
            }
        } catch (JsonException | IllegalStateException e) {
            // not JSON: the resource answers 400
        }
        return "-";
    }
}
