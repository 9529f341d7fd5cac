package org.redischat.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.accounts.ServerAdmins;
import org.redischat.accounts.Tokens;
import org.redischat.concurrent.Failures;
import org.redischat.history.MessageLog;
import org.redischat.members.Blocks;
import org.redischat.members.Members;
import org.redischat.rooms.GroupRooms;
import org.redischat.rooms.Rooms;
import org.redischat.wire.ClientFrame;
import org.redischat.wire.FrameException;
import org.redischat.wire.FrameParser;
import org.redischat.wire.ServerFrame;
import org.redischat.wire.Utf8;
import org.redischat.connection.Connection;
import org.redischat.connection.LocalSessions;
import org.redischat.metrics.Metrics;

/**
 * A socket's life: authenticate and welcome it, turn each frame into a call to {@link Rooms} or an
 * error frame, and forget it when it closes. Nothing a client sends escapes as an exception.
 */
@ApplicationScoped
public class Sockets {

    private static final Logger LOG = Logger.getLogger(Sockets.class.getName());
    private static final String CONNECTION = "chat.connection";

    @Inject
    Metrics metrics;

    @Inject
    Tokens tokens;

    @Inject
    Members members;

    @Inject
    MessageLog log;

    @Inject
    LocalSessions sessions;

    @Inject
    Rooms rooms;

    @Inject
    @ConfigProperty(name = "chat.text.max-length", defaultValue = "4000")
    int maxText;

    @Inject
    @ConfigProperty(name = "chat.text.max-bytes", defaultValue = "16384")
    long maxTextBytes;

    @Inject
    @ConfigProperty(name = "chat.typing.interval-ms", defaultValue = "2000")
    long typingIntervalMs;

    /** The welcome lists at most this many rooms, whatever the account holds (0: all). */
    @Inject
    @ConfigProperty(name = "chat.rooms.max-per-user", defaultValue = "500")
    int maxRooms;

    @Inject
    Blocks blocks;

    @Inject
    ServerAdmins admins;

    @Inject
    GroupRooms groupRooms;

    @Inject
    @ConfigProperty(name = "chat.join.page", defaultValue = "50")
    int page;

    private ServerFrame.Limits limits;

    @Inject
    @ConfigProperty(name = "chat.frame.max-bytes", defaultValue = "65536")
    int maxFrame;

    private FrameParser parser;

    @PostConstruct
    void init() {
        parser = new FrameParser(maxText, maxTextBytes);
        limits = new ServerFrame.Limits(typingIntervalMs, maxText, page);
    }

    void opened(Session session) {
        session.setMaxIdleTimeout(0); // a socket stays open while idle: clients come and go by choice
        String token = (String) session.getUserProperties().remove(TokenConfigurator.TOKEN);
        SocketUser user;
        try {
            user = session.getUserPrincipal() instanceof SocketUser checked ? checked : check(token);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "token check failed", e);
            close(session, CloseReason.CloseCodes.UNEXPECTED_CONDITION, "try again later");
            return;
        }
        if (user == null) {
            close(session, CloseReason.CloseCodes.VIOLATED_POLICY, "a valid token is required");
            return;
        }
        Connection c = sessions.open(user.getName(), user.tokenHash(), session);
        if (c == null) {
            close(session, CloseReason.CloseCodes.VIOLATED_POLICY, "too many open sockets for this user");
            return;
        }
        session.getUserProperties().put(CONNECTION, c);
        try {
            welcome(c);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "welcome failed", e);
            close(session, CloseReason.CloseCodes.UNEXPECTED_CONDITION, "try again later");
        }
    }

    /** The token's user, where the handshake filter did not say (a container that ignores the wrapper). */
    private SocketUser check(String token) {
        return token == null ? null : tokens.userOf(token).map(u -> new SocketUser(u, Tokens.hash(token))).orElse(null);
    }

    /**
     * Subscribes the socket to the user's rooms, then reads their heads (and the user's membership of
     * each, now that a later change would reach the socket), and sends {@code welcome}. An account that
     * holds more rooms than {@code chat.rooms.max-per-user} (made before the limit, or by concurrent
     * joins under Redis Cluster) is welcomed to the first of them by name, so that no account can
     * grow a welcome past what a socket takes.
     */
    private void welcome(Connection c) {
        List<String> all = members.roomsOf(c.user());
        List<String> names = maxRooms > 0 && all.size() > maxRooms ? all.subList(0, maxRooms) : all;
        if (names.size() < all.size()) {
            LOG.warning(() -> c.user() + " is in " + all.size() + " rooms, more than chat.rooms.max-per-user ("
                    + maxRooms + "): welcomed to the first " + maxRooms);
        }
        Blocks.Both blocked = blocks.of(c.user());
        c.blocking(blocked.blocks(), blocked.blockedBy());
        names.forEach(room -> sessions.subscribe(c, room));
        Map<String, MessageLog.Head> heads = log.heads(names, c.user());
        List<ServerFrame.RoomState> states = new ArrayList<>();
        Map<String, String> epochs = new HashMap<>();
        heads.forEach((room, head) -> {
            c.advanceMembership(room, head.memberVersion());
            if (!head.member()) { // left after the list of rooms was read
                sessions.unsubscribe(c, room);
                return;
            }
            states.add(new ServerFrame.RoomState(room, head.lastId(), head.lastRead(), head.mentions()).withThreads(head.threads()));
            if (head.epoch() != null) {
                epochs.put(room, head.epoch());
            }
        });
        c.welcome(new ServerFrame.Welcome(c.user(), states, limits, List.copyOf(blocked.blocks()), admins.isAdmin(c.user()),
                groupRooms.joinable(c.user())), epochs);
    }

    void received(Session session, String text) {
        Connection c = connection(session);
        if (c == null || c.isClosing()) {
            return;
        }
        c.heard();
        if (text.length() > maxFrame / 3 && Utf8.length(text) > maxFrame) {
            tooBig(session);
            return;
        }
        if (!c.frameAllowed(text.length())) {
            metrics.error("rate_limited");
            return;
        }
        c.awaitPrevious();
        String ref = null;
        try {
            ClientFrame frame = parser.parse(text);
            ref = frame.ref();
            java.util.concurrent.CompletableFuture<?> pending = rooms.handle(c, frame);
            if (pending != null) {
                String r = ref;
                c.inFlight(pending.whenComplete((done, e) -> {
                    if (e != null) {
                        refused(c, Failures.cause(e), r);
                    }
                }));
            }
        } catch (RuntimeException e) {
            refused(c, e, ref);
        }
    }

    /** A frame that failed: its error answer (a refusal, or {@code internal} for anything unforeseen, logged). */
    private void refused(Connection c, Throwable e, String ref) {
        if (e instanceof FrameException f) {
            ServerFrame.Error error = f.toFrame();
            metrics.error(error.code());
            c.send(error);
        } else {
            LOG.log(Level.WARNING, "frame of " + c.user() + " failed", e);
            metrics.error("internal");
            c.send(new ServerFrame.Error("internal", "the server could not complete it; try again", ref));
        }
    }

    void pong(Session session, java.nio.ByteBuffer data) {
        Connection c = connection(session);
        if (c != null) {
            c.pong(data);
        }
    }

    /**
     * docs/PROTOCOL.md: a frame over the limit closes the socket with 1009. Checked here rather than by
     * Tyrus's {@code maxMessageSize}: Tyrus's own close for it keeps each such session on the heap
     * after its connection is gone (~125 KB each, measured with the fuzzer; docs/RELIABILITY.md).
     */
    private void tooBig(Session session) {
        close(session, CloseReason.CloseCodes.TOO_BIG, "frame over " + maxFrame + " bytes");
    }

    void receivedBinary(Session session, int size) {
        if (size > maxFrame) {
            tooBig(session);
            return;
        }
        Connection c = connection(session);
        if (c != null && c.frameAllowed(size)) {
            c.send(new ServerFrame.Error("bad_request", "binary frames are not accepted; send JSON text", null));
        }
    }

    void closed(Session session, int code) {
        metrics.closed(code);
        Connection c = connection(session);
        if (c != null) {
            sessions.close(c);
        }
    }

    void failed(Session session, Throwable error) {
        LOG.log(Level.FINE, "socket error", error);
    }

    private static Connection connection(Session session) {
        return (Connection) session.getUserProperties().get(CONNECTION);
    }

    private static void close(Session session, CloseReason.CloseCode code, String reason) {
        try {
            session.close(new CloseReason(code, reason));
        } catch (IOException e) {
            LOG.log(Level.FINE, "close failed", e);
        }
    }
}
