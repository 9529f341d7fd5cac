package org.redischat.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redischat.connection.Drain;
import org.redischat.fanout.BusMonitor;
import org.redischat.redis.RedissonProducer;

/** Ready when Redis answers, this node's subscription carries its own probe, and the node is not stopping. */
@Readiness
@ApplicationScoped
public class RedisHealth implements HealthCheck {

    @Inject
    RedissonClient redis;

    @Inject
    BusMonitor events;

    @Inject
    Drain drain;

    @Inject
    RedissonProducer clients;

    @Override
    public HealthCheckResponse call() {
        String missing = clients.missing();
        if (missing != null) {
            return HealthCheckResponse.named("redis").down().withData("missing", missing).build();
        }
        boolean reachable;
        try {
            redis.getBucket("chat:health", StringCodec.INSTANCE).isExists();
            reachable = true;
        } catch (RuntimeException e) {
            reachable = false;
        }
        boolean subscribed = events.live();
        boolean stopping = drain.draining();
        return HealthCheckResponse.named("redis").status(reachable && subscribed && !stopping)
                .withData("reachable", reachable).withData("subscription", subscribed).withData("stopping", stopping)
                .build();
    }
}
