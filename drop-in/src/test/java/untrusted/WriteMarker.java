package untrusted;

import org.intentgrid.dropin.AllowedMarker;

/** The marker task in a package outside those a member's serialization filter allows: it must never run there. */
public final class WriteMarker extends AllowedMarker
{
    private static final long serialVersionUID = 1L;

    public WriteMarker(final String path)
    {
        super(path);
    }
}
