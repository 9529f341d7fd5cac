package org.redischat.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redischat.connection.Drain;
import org.redischat.fanout.RoomEvents;

/** Ready when Redis answers, this node's subscription carries its own probe, and the node is not stopping. */
@Readiness
@ApplicationScoped
public class RedisHealth implements HealthCheck {

    @Inject
    RedissonClient redis;

    @Inject
    RoomEvents events;

    @Inject
    Drain drain;

    @Override
    public HealthCheckResponse call() {
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
