package org.intentgrid.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How many lock stripes a table gets for its size. */
class StoreRegistryTest
{
    @Test
    void aSmallTableGetsAStripePerKeyAndALargeOneAStripePer64Keys()
    {
        assertEquals(1, StoreRegistry.stripeCount(1));
        assertEquals(16, StoreRegistry.stripeCount(10), "ten hot keys, rounded up to a power of two");
        assertEquals(16, StoreRegistry.stripeCount(16));
        assertEquals(16, StoreRegistry.stripeCount(100), "at least 16 stripes above 16 keys");
        assertEquals(32, StoreRegistry.stripeCount(3_000), "one per 64 keys, rounded down to a power of two");
        assertEquals(128, StoreRegistry.stripeCount(10_000));
        assertEquals(1024, StoreRegistry.stripeCount(10_000_000L), "at most 1024");
        assertEquals(1024, StoreRegistry.stripeCount(1L << 40));
    }
}
