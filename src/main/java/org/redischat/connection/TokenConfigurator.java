package org.redischat.connection;

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
