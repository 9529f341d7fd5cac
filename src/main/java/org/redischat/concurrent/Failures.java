package org.redischat.concurrent;

import java.util.concurrent.CompletionException;

/** What went wrong in an asynchronous step, without the wrapper that completing a future puts around it. */
public final class Failures {

    private Failures() {
    }

    /** The cause a {@link CompletionException} wraps, or the throwable itself. */
    public static Throwable cause(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
