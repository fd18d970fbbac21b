package org.rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class AirlineTest {

    @Test
    void loadsTheShippedSeries() {
        Table t = Airline.load();
        assertEquals(144, t.rowCount());
        assertEquals("1949-01", t.stringColumn("Month").get(0));
        assertEquals("1960-12", t.stringColumn("Month").get(143));
        double[] p = Airline.passengers(t);
        assertEquals(112.0, p[0]);
        assertEquals(40363.0, java.util.Arrays.stream(p).sum());
    }

    @Test
    void aCsvWithoutTheExpectedColumnIsExplained(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("other.csv"), "Month,Count\n1949-01,112\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Airline.load(csv));
        assertTrue(e.getMessage().contains("no column \"Passengers\""), e.getMessage());
        assertTrue(e.getMessage().contains("[Month, Count]"), e.getMessage());
    }

    @Test
    void minMaxScalerMapsOntoTheRangeAndBack() {
        MinMaxScaler s = new MinMaxScaler().fit(new double[] {100, 200, 300});
        assertArrayEquals(new double[] {0, 0.25, 1, 1.5}, s.transform(new double[] {100, 150, 300, 400}), 1e-12);
        assertArrayEquals(new double[] {150, 350}, s.inverseTransform(new double[] {0.25, 1.25}), 1e-9);
        MinMaxScaler sym = new MinMaxScaler(-1, 1);
        assertArrayEquals(new double[] {-1, 0, 1}, sym.fitTransform(new double[] {2, 4, 6}), 1e-12);
        assertThrows(IllegalStateException.class, () -> new MinMaxScaler().transform(new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new MinMaxScaler(1, 1));
    }

    @Test
    void windowsPairEachLookbackWithTheNextValue() {
        Windows w = Windows.of(new double[] {1, 2, 3, 4, 5}, 2);
        assertEquals(3, w.size());
        assertArrayEquals(new double[][] {{1, 2}, {2, 3}, {3, 4}}, w.inputs());
        assertArrayEquals(new double[] {3, 4, 5}, w.targets());
        SequenceDataset steps = w.toDataset(false);
        assertArrayEquals(new long[] {1, 2}, steps.sampleShape());
        assertArrayEquals(new long[] {2, 1}, w.toDataset(true).sampleShape());
        assertEquals(4f, steps.features()[5]);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Windows.of(new double[] {1, 2, 3}, 3));
        assertTrue(e.getMessage().contains("this one has 3"), e.getMessage());
    }
}
