package org.rnnlab;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModeTest {

    @Test
    void parsesTheEnvironmentValue() {
        assertEquals(Mode.FULL, Mode.parse(null));
        assertEquals(Mode.FULL, Mode.parse(" "));
        assertEquals(Mode.QUICK, Mode.parse("Quick"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mode.parse("fast"));
        assertTrue(e.getMessage().contains("RNNLAB_MODE"), e.getMessage());
    }

    @Test
    void quickModeCapsEpochs() {
        assertEquals(2, Mode.QUICK.epochs(10));
        assertEquals(1, Mode.QUICK.epochs(1));
        assertEquals(10, Mode.FULL.epochs(10));
        assertThrows(IllegalArgumentException.class, () -> Mode.FULL.epochs(0));
    }
}
