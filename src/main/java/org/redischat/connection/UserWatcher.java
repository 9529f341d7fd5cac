package org.redischat.connection;

/** Told when a user's sockets on this node change (one opened or closed): presence listens. */
public interface UserWatcher {

    void socketsChanged(String user);
}
