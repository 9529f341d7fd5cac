package org.redischat.connection;

/** A node's registry for unit tests: subscribing is immediate, catch-ups are not made. */
public final class TestSessions {

    private TestSessions() {
    }

    public static LocalSessions create(UserWatcher watcher) {
        LocalSessions s = new LocalSessions();
        s.maxQueued = 1 << 20;
        s.unconfirmed = 1 << 20;
        s.maxPerUser = 5;
        s.presence = watcher;
        s.metrics = new org.redischat.metrics.Metrics();
        s.bus = (room, then) -> then.run();
        s.catchup = (c, room, from, to) -> {
        };
        return s;
    }
}
