package org.intentgrid.samples.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainOptionsTest
{
    @Test
    void theRelocationLimitOptionReadsWhatTheGridPropertyReads()
    {
        assertEquals(2, TrainOptions.parseRelocationLimit("2"));
        assertEquals(Integer.MAX_VALUE, TrainOptions.parseRelocationLimit("NONE"));
        final IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> TrainOptions.parseRelocationLimit("-3"));
        assertTrue(e.getMessage().startsWith("--relocation-limit -3 is invalid: ") &&
            e.getMessage().contains("expected a number >= 0 or none"), e.getMessage());
    }
}
