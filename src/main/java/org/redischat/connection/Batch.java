package org.redischat.connection;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The fan-out thread's batch: while it turns a run of waiting events into frames, the sockets it
 * gives frames to are pumped once at the run's end instead of once per frame, so each socket's
 * frames of the run leave in one write ({@link Outbox#COALESCE_BYTES}). A thread that never opened
 * a batch pumps at once, as before. The fan-out thread ends a run when nothing more waits, so an
 * event alone is not delayed.
 */
public final class Batch {

    private static final ThreadLocal<Set<Outbox>> OPEN = new ThreadLocal<>();

    private Batch() {
    }

    /** From now on this thread's offers are pumped at {@link #flush()}. */
    public static void open() {
        if (OPEN.get() == null) {
            OPEN.set(new LinkedHashSet<>());
        }
    }

    /** True when the outbox was put off until this thread's next flush; false: pump it now. */
    static boolean putOff(Outbox outbox) {
        Set<Outbox> pending = OPEN.get();
        if (pending == null) {
            return false;
        }
        pending.add(outbox);
        return true;
    }

    /** Pumps every outbox put off since the last flush, in the order they were first given a frame. */
    public static void flush() {
        Set<Outbox> pending = OPEN.get();
        if (pending == null || pending.isEmpty()) {
            return;
        }
        List<Outbox> due = new ArrayList<>(pending);
        pending.clear();
        for (Outbox o : due) {
            try {
                o.pump();
            } catch (RuntimeException e) {
                // one socket's failure is its own: the others' frames go
            }
        }
    }
}
