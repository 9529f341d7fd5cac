package org.redischat.api;

import java.util.logging.Logger;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.redisson.client.RedisException;
import org.redischat.wire.HttpErrors;

/** Redis unreachable during an HTTP call: 503 with the protocol's error body, never a stack trace. */
@Provider
public class StoreUnavailable implements ExceptionMapper<RedisException> {

    private static final Logger LOG = Logger.getLogger(StoreUnavailable.class.getName());

    @Override
    public Response toResponse(RedisException e) {
        LOG.warning(() -> "Redis unavailable for an HTTP call: " + e);
        return HttpErrors.response(503, "internal", "the server cannot reach its store; try again shortly");
    }
}
