package org.redischat.connection;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

/** A WebSocket session whose sends complete at once: what was sent, pinged and how it was closed are kept. */
public final class FakeSession {

    public final List<String> sent = new CopyOnWriteArrayList<>();
    public final List<CloseReason> closes = new CopyOnWriteArrayList<>();
    public final List<java.nio.ByteBuffer> pings = new CopyOnWriteArrayList<>();
    public final Session session;
    /** With {@code completes} false: the sends taken, whose completion a test may call. */
    public final List<SendHandler> held = new CopyOnWriteArrayList<>();

    public FakeSession() {
        this(true);
    }

    /** With {@code completes} false, a peer that never reads: sends are taken but never complete. */
    public FakeSession(boolean completes) {
        RemoteEndpoint.Async async = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class}, (p, m, args) -> {
                    if (completes && m.getName().equals("sendText") && args.length == 2) {
                        sent.add((String) args[0]);
                        ((SendHandler) args[1]).onResult(new SendResult());
                    } else if (m.getName().equals("sendText") && args.length == 2) {
                        held.add((SendHandler) args[1]);
                    } else if (m.getName().equals("sendPing")) {
                        pings.add((java.nio.ByteBuffer) args[0]);
                    }
                    return null;
                });
        session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (p, m, args) -> switch (m.getName()) {
                    case "getAsyncRemote" -> async;
                    case "close" -> {
                        closes.add(args == null ? null : (CloseReason) args[0]);
                        yield null;
                    }
                    default -> null;
                });
    }
}
