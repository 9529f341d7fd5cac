package org.redischat.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The error body of docs/PROTOCOL.md, {@code {"error":"<code>","message":"<text>"}}, for servlets and JAX-RS. */
public final class HttpErrors {

    public record Body(String error, String message) {
    }

    private HttpErrors() {
    }

    public static Response response(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Json.write(new Body(code, message))).build();
    }

    public static void write(HttpServletResponse res, int status, String code, String message) throws IOException {
        res.setStatus(status);
        res.setContentType("application/json");
        res.setCharacterEncoding("UTF-8");
        res.getOutputStream().write(Json.write(new Body(code, message)).getBytes(StandardCharsets.UTF_8));
    }
}
