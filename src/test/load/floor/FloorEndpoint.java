package floor;

import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/**
 * The container's floor: a WebSocket endpoint that greets each socket and echoes, nothing else. Built
 * into its own WAR by benchmarks.sh (scenario floor) to measure what Payara Micro itself costs per
 * socket, next to the chat server's figures (docs/BENCHMARKS.md, target 4).
 */
@ServerEndpoint("/ws")
public class FloorEndpoint {

    @OnOpen
    public void open(Session session) {
        session.getAsyncRemote().sendText("{\"type\":\"welcome\"}");
    }

    @OnMessage
    public String echo(String text) {
        return text;
    }
}
