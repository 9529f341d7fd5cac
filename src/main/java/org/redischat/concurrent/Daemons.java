package org.redischat.concurrent;

import java.util.concurrent.ThreadFactory;

/** The threads the server starts itself: named for what they do, and daemons, so they never hold a JVM up. */
public final class Daemons {

    private Daemons() {
    }

    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
