package org.example.training;

import java.io.Serializable;
import java.util.concurrent.Callable;

/** A task of a user's own package, sent to another member with Java serialization. */
public final class OutsideTask implements Callable<String>, Serializable
{
    private static final long serialVersionUID = 1L;

    @Override
    public String call()
    {
        return "ran outside org.intentgrid";
    }
}
