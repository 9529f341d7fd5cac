package org.glassfish.tyrus.core;

/**
 * A stand-in for Tyrus's class of this name in unit tests, with the one member the chat server's
 * {@code RawFrames} reads: the package-private field {@code webSocket}. The real one is checked on
 * Payara Micro by {@code OperationsIT}.
 */
public abstract class TyrusRemoteEndpoint {

    final TyrusWebSocket webSocket;

    protected TyrusRemoteEndpoint(TyrusWebSocket webSocket) {
        this.webSocket = webSocket;
    }
}
