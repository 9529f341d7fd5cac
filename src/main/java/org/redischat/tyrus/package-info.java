/**
 * Container-specific code: the two places this server reaches into Tyrus, Payara's WebSocket
 * implementation, by reflection — {@link org.redischat.tyrus.TyrusIdleTimerPatch} (a scheduler that
 * drops Tyrus's empty idle-timer tasks) and {@link org.redischat.tyrus.RawFrames} (frames handed to
 * Tyrus as bytes encoded once). Each checks what it finds, says in its {@code state()} whether it took
 * (the liveness check shows both), and leaves any other container (WildFly's Undertow) alone.
 */
package org.redischat.tyrus;
