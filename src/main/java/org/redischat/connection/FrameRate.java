package org.redischat.connection;

/**
 * The frames one user's sockets on this node may send: a token bucket kept in memory, shared by the
 * user's sockets here, in which a large frame weighs more than a small one (reading and unmasking it
 * costs by its size). A frame over it is dropped before it is read as JSON, so a flood of frames
 * costs the node little whatever budgets in Redis it would otherwise meet; the socket hears of it once
 * a second at most ({@link #firstDropThisSecond}), and a socket that goes on flooding is closed
 * ({@link Connection#frameAllowed}).
 */
final class FrameRate {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last = System.nanoTime();
    private long lastToldSecond = -1;

    /** {@code perSecond} frames a second after a burst of {@code burst}; 0 or less: no limit. */
    FrameRate(double perSecond, int burst) {
        this.perNano = perSecond / 1e9;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
    }

    /** The frames allowed at once; more dropped than this in a second is a flood. */
    int burst() {
        return (int) burst;
    }

    /**
     * True when a frame of this weight may go on now (it takes that many); false when it is to be
     * dropped. A frame weighs one, and one more for every 4 KiB it holds ({@link #weight}).
     */
    synchronized boolean take(int weight) {
        if (perNano <= 0) {
            return true;
        }
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= weight) {
            tokens -= weight;
            return true;
        }
        return false;
    }

    /** What a frame of {@code chars} characters weighs: 1, and 1 more per 4,096 characters. */
    static int weight(int chars) {
        return 1 + chars / 4096;
    }

    /** True for the first dropped frame of each second: the one the client is told of. */
    synchronized boolean firstDropThisSecond() {
        long second = System.nanoTime() / 1_000_000_000L;
        if (second == lastToldSecond) {
            return false;
        }
        lastToldSecond = second;
        return true;
    }
}
