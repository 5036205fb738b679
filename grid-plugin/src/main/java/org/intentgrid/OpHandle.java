package org.intentgrid;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A light handle on an asynchronous pull, push, set or localize.
 * <p>
 * A call whose keys were all local returns {@link #DONE}: it completed before returning and allocated
 * nothing. Otherwise the handle completes when every key has been answered by the member holding its
 * main copy, wherever the key moved in the meantime. Until then the caller must not reuse the value
 * array of a pull (values are written into it as answers arrive); push and set copy their input.
 */
public interface OpHandle
{
    /** The handle of a call that completed inside the call. */
    OpHandle DONE = new OpHandle()
    {
        @Override
        public void await()
        {
        }

        @Override
        public boolean await(final long timeout, final TimeUnit unit)
        {
            return true;
        }

        @Override
        public boolean isDone()
        {
            return true;
        }

        @Override
        public CompletableFuture<Void> toCompletableFuture()
        {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public String toString()
        {
            return "OpHandle.DONE";
        }
    };

    /**
     * Blocks until the operation completed.
     *
     * @throws IllegalStateException if it failed (for example a key stayed unreachable past the request timeout)
     */
    void await();

    /**
     * Blocks until the operation completed or the timeout passed.
     *
     * @return true if completed
     * @throws IllegalStateException if it failed
     */
    boolean await(long timeout, TimeUnit unit);

    /** @return true once completed (successfully or not) */
    boolean isDone();

    /** @return a future view, for composing; its continuations should run on an explicit executor */
    CompletableFuture<Void> toCompletableFuture();
}
