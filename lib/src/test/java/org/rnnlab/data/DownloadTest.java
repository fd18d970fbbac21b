package org.rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadTest {

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(log);

    @Test
    void downloadsVerifiesAndKeepsTheFile(@TempDir Path dir) throws IOException {
        Path origin = Files.writeString(dir.resolve("origin.bin"), "the real bytes");
        Path target = dir.resolve("cache/file.bin");
        Download.cached(origin.toUri(), target, Download.md5(origin), out);
        assertEquals("the real bytes", Files.readString(target));
        assertEquals("4775f29afe5c07b856ff04f691139e43", Download.md5(target));
    }

    @Test
    void aCorruptCachedFileIsReplaced(@TempDir Path dir) throws IOException {
        Path origin = Files.writeString(dir.resolve("origin.bin"), "the real bytes");
        Path target = Files.writeString(dir.resolve("file.bin"), "the real by");
        Download.cached(origin.toUri(), target, Download.md5(origin), out);
        assertEquals("the real bytes", Files.readString(target));
        assertTrue(log.toString().contains("corrupt"), log.toString());
    }

    @Test
    void aDownloadWithTheWrongChecksumLeavesNothingBehind(@TempDir Path dir) throws IOException {
        Path origin = Files.writeString(dir.resolve("origin.bin"), "tampered bytes");
        Path cache = Files.createDirectories(dir.resolve("cache"));
        IOException e = assertThrows(
                IOException.class,
                () -> Download.cached(
                        origin.toUri(), cache.resolve("file.bin"), "00000000000000000000000000000000", out));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        try (Stream<Path> left = Files.list(cache)) {
            assertEquals(0, left.count(), "no partial or corrupt file may stay in the cache");
        }
    }
}
