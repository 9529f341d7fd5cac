package org.redischat.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The HTTP API lives under {@code BASE/api}. Its OpenAPI document, {@code META-INF/openapi.yaml}, is
 * served at {@code /openapi} by the runtime's MicroProfile OpenAPI (the annotation scan is
 * off, {@code mp.openapi.scan.disable}: Payara 6 writes defective schemas from annotations).
 */
@ApplicationPath("api")
public class ChatApi extends Application {
}
