package org.redischat.connection;

import java.nio.ByteBuffer;

import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/** The WebSocket at {@code /ws}: hands each event of a socket to {@link Sockets}; keeps no state. */
@ServerEndpoint(value = "/ws", configurator = TokenConfigurator.class)
public class ChatEndpoint {

    @Inject
    Sockets sockets;

    @OnOpen
    public void open(Session session, EndpointConfig config) {
        sockets.opened(session);
    }

    @OnMessage
    public void text(Session session, String frame) {
        sockets.received(session, frame);
    }

    @OnMessage
    public void binary(Session session, ByteBuffer frame) {
        sockets.receivedBinary(session, frame.remaining());
    }

    @OnMessage
    public void pong(Session session, PongMessage pong) {
        sockets.pong(session, pong.getApplicationData());
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        sockets.closed(session);
    }

    @OnError
    public void error(Session session, Throwable error) {
        sockets.failed(session, error);
    }
}
