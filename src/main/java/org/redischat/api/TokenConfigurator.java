package org.redischat.api;

import java.util.List;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Carries the handshake's token (header or {@code access_token}) and Origin verdict into the
 * session's user properties, which WebSocket 2.1 copies per connection.
 */
public class TokenConfigurator extends ServerEndpointConfig.Configurator {

    static final String TOKEN = "chat.token";

    private volatile ChatEndpoint endpoint;

    /**
     * One stateless endpoint for all sockets: a container-made instance per socket went through
     * CDI's injection-target construction on every handshake (docs/BENCHMARKS.md, target 4).
     */
    @Override
    public <T> T getEndpointInstance(Class<T> type) throws InstantiationException {
        if (type != ChatEndpoint.class) {
            return super.getEndpointInstance(type);
        }
        ChatEndpoint e = endpoint;
        if (e == null) {
            e = new ChatEndpoint();
            endpoint = e;
        }
        return type.cast(e);
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        String token = HandshakeCheck.bearer(first(request.getHeaders().get("Authorization")));
        if (token == null) {
            token = first(request.getParameterMap().get(HandshakeCheck.TOKEN_PARAMETER));
        }
        if (token != null) {
            config.getUserProperties().put(TOKEN, token);
        } else {
            config.getUserProperties().remove(TOKEN);
        }
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
