package org.redischat.api;

import java.security.Principal;

/**
 * The user a handshake's token belongs to, found by {@link HandshakeFilter} and carried to the
 * socket as its user principal, so the token is looked up in Redis once per socket, not twice.
 */
record SocketUser(String name, String tokenHash) implements Principal {

    @Override
    public String getName() {
        return name;
    }
}
