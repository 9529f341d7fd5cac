package org.redischat.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.redischat.tyrus.TyrusIdleTimerPatch;
import org.redischat.tyrus.RawFrames;

/**
 * Alive while the application runs, Redis or not: a restart would not bring Redis back. Its data
 * says whether the container-specific parts took: the idle-timer patch ({@link TyrusIdleTimerPatch})
 * and frames written as bytes encoded once ({@link RawFrames}; known once a socket has opened).
 */
@Liveness
@ApplicationScoped
public class Alive implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("chat").up()
                .withData("tyrus-idle-timer-patch", TyrusIdleTimerPatch.state().name().toLowerCase(java.util.Locale.ROOT))
                .withData("tyrus-raw-frames", RawFrames.state().name().toLowerCase(java.util.Locale.ROOT))
                .build();
    }
}
