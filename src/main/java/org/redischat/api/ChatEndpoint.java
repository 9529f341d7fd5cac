package org.redischat.api;

import java.nio.ByteBuffer;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.CloseReason;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/**
 * The WebSocket at {@code /ws}: hands each event of a socket to {@link Sockets}; keeps no state, so
 * one instance serves every socket ({@link TokenConfigurator#getEndpointInstance}) instead of a
 * container-managed instance built per connection.
 */
@ServerEndpoint(value = "/ws", configurator = TokenConfigurator.class)
public class ChatEndpoint {

    private final Sockets sockets;

    public ChatEndpoint() {
        this(CDI.current().select(Sockets.class).get());
    }

    ChatEndpoint(Sockets sockets) {
        this.sockets = sockets;
    }

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
        sockets.closed(session, reason.getCloseCode().getCode());
    }

    @OnError
    public void error(Session session, Throwable error) {
        sockets.failed(session, error);
    }
}
