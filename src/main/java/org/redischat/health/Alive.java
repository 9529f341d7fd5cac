package org.redischat.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.redischat.api.TyrusIdleTimerPatch;

/**
 * Alive while the application runs, Redis or not: a restart would not bring Redis back. Its data
 * says whether the container-specific patch took ({@link TyrusIdleTimerPatch}).
 */
@Liveness
@ApplicationScoped
public class Alive implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("chat").up()
                .withData("tyrus-idle-timer-patch", TyrusIdleTimerPatch.state().name().toLowerCase(java.util.Locale.ROOT))
                .build();
    }
}
