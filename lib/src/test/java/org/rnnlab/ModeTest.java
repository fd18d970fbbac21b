package org.rnnlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModeTest {

    @Test
    void parsesTheEnvironmentValue() {
        assertEquals(Mode.FULL, Mode.parse(null));
        assertEquals(Mode.FULL, Mode.parse(" "));
        assertEquals(Mode.QUICK, Mode.parse("Quick"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mode.parse("fast"));
        assertTrue(e.getMessage().contains("RNNLAB_MODE"), e.getMessage());
    }
}
