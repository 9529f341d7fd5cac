package org.redischat.sso;

/** A token that is not accepted, with why (for the log and the 401's message; never the token). */
public final class InvalidToken extends RuntimeException {

    public InvalidToken(String reason) {
        super(reason, null, false, false);
    }
}
