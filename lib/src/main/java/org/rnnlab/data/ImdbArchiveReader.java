package org.rnnlab.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the labelled reviews of the IMDB layout {@code aclImdb/{train,test}/{pos,neg}/<id>_<stars>.txt}
 * from a {@code .tar.gz} archive (read as a stream, never unpacked) or from an unpacked folder.
 */
final class ImdbArchiveReader {

    /** One review file: which half, its label, id and stars, and the text. */
    record Review(boolean train, int label, int id, int stars, String text) {}

    private static final Pattern NAME = Pattern.compile("(?:^|/)aclImdb/(train|test)/(pos|neg)/(\\d+)_(\\d+)\\.txt$");

    private ImdbArchiveReader() {}

    /** Reads every labelled review, sorted by half (train first), label (negatives first) and id. */
    static List<Review> read(Path source) throws IOException {
        List<Review> reviews = Files.isDirectory(source) ? readFolder(source) : readArchive(source);
        reviews.sort(Comparator.comparing((Review r) -> !r.train())
                .thenComparingInt(Review::label)
                .thenComparingInt(Review::id));
        return reviews;
    }

    static List<Review> readArchive(InputStream gz) throws IOException {
        List<Review> out = new ArrayList<>();
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new GZIPInputStream(new BufferedInputStream(gz, 1 << 16), 1 << 16))) {
            TarArchiveEntry e;
            while ((e = tar.getNextTarEntry()) != null) {
                if (!e.isFile()) {
                    continue;
                }
                Matcher m = NAME.matcher(e.getName());
                if (m.find()) {
                    String text = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                    out.add(review(m, text));
                }
            }
        }
        return out;
    }

    private static List<Review> readArchive(Path archive) throws IOException {
        try (InputStream in = Files.newInputStream(archive)) {
            return readArchive(in);
        }
    }

    private static List<Review> readFolder(Path folder) throws IOException {
        List<Review> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Matcher m = NAME.matcher(p.toAbsolutePath().toString().replace('\\', '/'));
                if (m.find()) {
                    out.add(review(m, Files.readString(p, StandardCharsets.UTF_8)));
                }
            }
        }
        return out;
    }

    private static Review review(Matcher m, String text) {
        return new Review(
                "train".equals(m.group(1)),
                "pos".equals(m.group(2)) ? 1 : 0,
                Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)),
                text);
    }
}
