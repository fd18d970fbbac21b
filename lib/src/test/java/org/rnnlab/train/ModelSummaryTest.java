package org.rnnlab.train;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSummaryTest {

    @Test
    void exercise601HasKerasParameterCountsAndShapes() {
        ModelSummary s = ModelSummary.of(Nets.simpleRnn(8000, 200, 0.001));
        assertEquals(List.of(256_000L, 0L, 2_080L, 0L, 33L), s.rows().stream().map(ModelSummary.Row::params).toList());
        assertEquals(List.of("(None, 32, 200)", "(None, 32, 200)", "(None, 32)", "(None, 32)", "(None, 1)"),
                s.rows().stream().map(ModelSummary.Row::outputShape).toList());
        assertEquals("LastTimeStep(SimpleRnn)", s.rows().get(2).type());
        assertEquals(258_113L, s.totalParams());
        String text = s.toString();
        assertTrue(text.contains("Total params: 258,113"), text);
        assertTrue(text.contains("2,080"), text);
    }
}
