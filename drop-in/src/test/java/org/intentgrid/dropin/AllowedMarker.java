package org.intentgrid.dropin;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.concurrent.Callable;

/** A task that leaves a file behind when it runs; its package is one the example configuration allows. */
public class AllowedMarker implements Callable<String>, Serializable
{
    private static final long serialVersionUID = 1L;

    private final String path;

    public AllowedMarker(final String path)
    {
        this.path = path;
    }

    @Override
    public String call()
    {
        try
        {
            Files.writeString(Paths.get(path), "ran");
            return "ran";
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
