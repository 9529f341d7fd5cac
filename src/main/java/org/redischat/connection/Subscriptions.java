package org.redischat.connection;

/** The bus as the registry needs it: a room's events reach this node while {@code then} runs and after. */
public interface Subscriptions {

    /**
     * Runs {@code then} with this node subscribed to the room's channel (subscribing first when it is
     * not yet); the room is not dropped meanwhile.
     */
    void withRoom(String room, Runnable then);
}
