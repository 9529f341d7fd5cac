package org.redischat.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The HTTP API lives under {@code BASE/api}. */
@ApplicationPath("api")
public class ChatApi extends Application {
}
