package org.redischat.tyrus;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.websocket.Extension;
import jakarta.websocket.Session;

/**
 * Hands Tyrus (Payara's WebSocket implementation) a frame's bytes as they are, so that a frame going
 * to many sockets is encoded once ({@link org.redischat.connection.OutFrame#wire()}) instead of once per socket by
 * {@code sendText}. Uses Tyrus's public {@code TyrusWebSocket.sendRawFrame(ByteBuffer)}, which writes
 * under the same lock as {@code sendText} and returns a {@link CompletableFuture}; the socket object is
 * reached through the package-private field {@code TyrusRemoteEndpoint.webSocket} (Tyrus 2.x).
 *
 * <p>Only for sessions without negotiated extensions (a compressing extension changes the bytes of
 * every frame); any other session, any other container (WildFly's Undertow), or a Tyrus whose
 * members are not found keeps {@code sendText}. {@link #state()} says which, for the liveness check.
 */
public final class RawFrames {

    private static final Logger LOG = Logger.getLogger(RawFrames.class.getName());
    static final String ENDPOINT = "org.glassfish.tyrus.core.TyrusRemoteEndpoint";

    /** What the container offers. */
    public enum State {
        /** Tyrus: frames are encoded once and written as bytes. */
        IN_USE,
        /** Turned off by {@code chat.tyrus.raw-frames=false}. */
        OFF,
        /** Not Tyrus: {@code sendText}. */
        NOT_TYRUS,
        /** Tyrus, but its members were not found: {@code sendText}. */
        REFUSED,
        /** No socket opened yet. */
        NONE
    }

    /** Tyrus's members, found for one class of remote endpoint. */
    private record Members(Class<?> remote, Field webSocket, MethodHandle sendRaw) {
    }

    private static volatile State state = State.NONE;
    private static volatile Members members;
    /** The last class of remote endpoint found not to be Tyrus's (WildFly's): not looked into again. */
    private static volatile Class<?> notTyrus;

    private RawFrames() {
    }

    public static State state() {
        return state;
    }

    /** Writes one frame's bytes to one socket; completes when the container has written or queued them. */
    public interface Sender {
        CompletableFuture<?> send(ByteBuffer frame);
    }

    /** A sender for this socket, or null when it must use {@code sendText}. */
    public static Sender of(Session session, boolean wanted) {
        if (!wanted) {
            set(State.OFF, null);
            return null;
        }
        List<Extension> extensions = session.getNegotiatedExtensions();
        Object remote = session.getAsyncRemote();
        if ((extensions != null && !extensions.isEmpty()) || remote == null) {
            return null;
        }
        Sender sender = sender(remote, true);
        if (sender != null) {
            set(State.IN_USE, null);
        }
        return sender;
    }

    /**
     * Tyrus's raw send for this socket's close frame, whatever {@code chat.tyrus.raw-frames} says and
     * whatever extension was negotiated (control frames are never compressed), or null on another
     * container: the frame goes without Tyrus's close, so the connection stays open for the peer's
     * close ({@link org.redischat.connection.Outbox#finish}).
     */
    public static Sender closer(Session session) {
        Object remote = session.getAsyncRemote();
        return remote == null || remote.getClass() == notTyrus ? null : sender(remote, false);
    }

    /** Loads the classes {@link #closer} may need, while the application's class loader still loads. */
    public static void loadCloser() {
        Constant.class.getName(); // loaded, not initialised: that needs the members found first
    }

    private static Sender sender(Object remote, boolean report) {
        Members m = members;
        if (m == null || m.remote() != remote.getClass()) {
            m = resolve(remote.getClass(), report);
            if (m == null) {
                return null;
            }
            members = m;
        }
        try {
            Object socket = m.webSocket().get(remote);
            if (socket == null) {
                return null;
            }
            Members first = Constant.MEMBERS;
            MethodHandle send = m == first ? null : m.sendRaw();
            return frame -> {
                Object done;
                try {
                    // the first (in a container, the only) Tyrus class's handle is a constant the JIT inlines
                    done = send == null ? (Object) Constant.SEND.invokeExact(socket, frame) : send.invoke(socket, frame);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
                // Tyrus's future is a CompletableFuture; were it not, the frame counts as handed over
                return done instanceof CompletableFuture<?> f ? f : CompletableFuture.completedFuture(null);
            };
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The members first found, as constants: initialised on first use, after {@link #members} is set. */
    private static final class Constant {
        static final Members MEMBERS = members;
        static final MethodHandle SEND = MEMBERS.sendRaw()
                .asType(MethodType.methodType(Object.class, Object.class, ByteBuffer.class));
    }

    /** Tyrus's members for this class of remote endpoint; {@code report}: the state says what was found. */
    private static Members resolve(Class<?> remote, boolean report) {
        Class<?> endpoint = null;
        for (Class<?> c = remote; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(ENDPOINT)) {
                endpoint = c;
                break;
            }
        }
        if (endpoint == null) {
            notTyrus = remote;
            if (report) {
                set(State.NOT_TYRUS, null);
            }
            return null;
        }
        try {
            Field f = endpoint.getDeclaredField("webSocket");
            f.setAccessible(true);
            MethodHandle send = MethodHandles.publicLookup().unreflect(f.getType().getMethod("sendRawFrame", ByteBuffer.class));
            return new Members(remote, f, send);
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (report) {
                set(State.REFUSED, e);
            }
            return null;
        }
    }

    private static void set(State s, Exception why) {
        if (state != s) {
            state = s;
            if (why != null) {
                LOG.log(Level.WARNING, "Tyrus's raw frame send was not found: frames go through sendText", why);
            } else {
                LOG.info("raw frames: " + s);
            }
        }
    }
}
