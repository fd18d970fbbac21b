package org.rnnlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * Loads the monthly international airline passengers, 1949–1960 (thousands; Box & Jenkins' series G),
 * as a Tablesaw table with the columns {@code Month} (text, e.g. "1949-01") and {@code Passengers}.
 */
public final class Airline {

    /** Class-path location of the shipped series. */
    public static final String RESOURCE = "/org/rnnlab/data/airline-passengers.csv";

    private Airline() {}

    /** The shipped series (144 months). */
    public static Table load() {
        try (InputStream in = Airline.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        RESOURCE + " is not on the class path: rebuild the library with ./lab setup");
            }
            return read(in, "airline-passengers.csv");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A series in the same format from a file: columns {@code Month} and {@code Passengers}. */
    public static Table load(Path csv) {
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException("no such file: " + csv.toAbsolutePath());
        }
        try (InputStream in = Files.newInputStream(csv)) {
            return read(in, csv.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Table read(InputStream in, String name) {
        Table t = Table.read()
                .usingOptions(CsvReadOptions.builder(in).tableName(name).columnTypesPartial(col -> switch (col) {
                    case "Month" -> java.util.Optional.of(ColumnType.STRING);
                    case "Passengers" -> java.util.Optional.of(ColumnType.DOUBLE);
                    default -> java.util.Optional.empty();
                }));
        for (String required : new String[] {"Month", "Passengers"}) {
            if (!t.columnNames().contains(required)) {
                throw new IllegalArgumentException(name + " has no column \"" + required + "\"; its columns are "
                        + t.columnNames() + ". Expected a CSV with the header Month,Passengers.");
            }
        }
        return t;
    }

    /** The passenger counts of a loaded table, in month order. */
    public static double[] passengers(Table table) {
        return table.doubleColumn("Passengers").asDoubleArray();
    }
}
