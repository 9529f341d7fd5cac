package org.redischat.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redischat.metrics.Metrics;

/**
 * {@code GET BASE/api/metrics}: this node's figures in the Prometheus text format, for a scraper on
 * the operators' network ({@code chat.metrics.enabled=false} answers 404).
 */
@Path("metrics")
public class MetricsResource {

    @Inject
    Metrics metrics;

    @Inject
    @ConfigProperty(name = "chat.metrics.enabled", defaultValue = "true")
    boolean enabled;

    @GET
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    public Response scrape() {
        if (!enabled) {
            return Response.status(404).build();
        }
        return Response.ok(metrics.prometheus()).build();
    }
}
