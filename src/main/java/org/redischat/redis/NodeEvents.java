package org.redischat.redis;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.redischat.wire.Envelope;
import org.redischat.wire.Event;

/**
 * The node channel's publishing side: events that every node acts on for its own sockets, whatever
 * rooms they follow — a token revoked (close its sockets), a block set or lifted, a new bot (mark it),
 * and a user's membership changed by one of their sockets (their sockets on other nodes follow or
 * leave the room). Each is published by the code that made the change; {@code fanout/FanOut} reads them.
 */
@ApplicationScoped
public class NodeEvents {

    @Inject
    Channels channels;

    /** Node events published on these channels, outside a container (tests, tools). */
    public static NodeEvents on(Channels channels) {
        NodeEvents events = new NodeEvents();
        events.channels = channels;
        return events;
    }

    /** Publishes the event, in its envelope, to every node (this one included). */
    public void publish(Event event) {
        channels.publishToNodes(Envelope.of(event));
    }
}
