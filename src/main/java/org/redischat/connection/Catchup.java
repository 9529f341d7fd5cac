package org.redischat.connection;

/**
 * Reads the messages a socket is missing in a room (ids {@code from}..{@code to}) and hands them back
 * with {@link Connection#caughtUp}, or reports {@link Connection#catchUpFailed}; asynchronously.
 */
public interface Catchup {

    void fetch(Connection c, String room, long from, long to);
}
