package floor;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/**
 * The container's floor, built into its own WAR by benchmarks.sh (scenario floor) to measure what
 * Payara Micro itself costs next to the chat server's figures (docs/BENCHMARKS.md). It greets each
 * socket; answers a {@code join} with a {@code joined} holding the newest id; and relays each {@code send} to every
 * open socket as a {@code message} with the next id, after an {@code ack} — one room, no Redis, no
 * checks, the frame serialized once: the least a chat node on this container must do per delivery.
 */
@ServerEndpoint("/ws")
public class FloorEndpoint {

    private static final Set<Session> OPEN = ConcurrentHashMap.newKeySet();
    private static long lastId;

    @OnOpen
    public void open(Session session) {
        OPEN.add(session);
        session.getAsyncRemote().sendText("{\"type\":\"welcome\"}");
    }

    @OnClose
    public void close(Session session) {
        OPEN.remove(session);
    }

    @OnMessage
    public void frame(Session session, String text) {
        String room = field(text, "room");
        if (text.contains("\"type\":\"join\"")) {
            synchronized (FloorEndpoint.class) { // the newest message, so the socket knows where the room stands
                session.getAsyncRemote().sendText("{\"type\":\"joined\",\"room\":\"" + room + "\",\"messages\":["
                        + (lastId == 0 ? "" : "{\"id\":" + lastId + "}") + "]}");
            }
        } else if (text.contains("\"type\":\"send\"")) {
            synchronized (FloorEndpoint.class) { // one order for all sockets
                long id = ++lastId;
                session.getAsyncRemote().sendText("{\"type\":\"ack\",\"ref\":\"" + field(text, "ref") + "\",\"room\":\""
                        + room + "\",\"id\":" + id + "}");
                String message = "{\"type\":\"message\",\"room\":\"" + room + "\",\"id\":" + id + ",\"from\":\"x\","
                        + "\"text\":\"" + field(text, "text") + "\",\"ts\":0}";
                OPEN.forEach(s -> s.getAsyncRemote().sendText(message));
            }
        }
    }

    private static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\":\"");
        if (at < 0) {
            return "";
        }
        int start = at + name.length() + 4;
        return json.substring(start, json.indexOf('"', start));
    }
}
