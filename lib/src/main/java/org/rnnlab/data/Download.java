package org.rnnlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Fetches a file into a cache once, verified by its MD5: the bytes go to a temporary file beside
 * the target and are moved into place only when complete and verified, so an interrupted or
 * corrupt download never leaves a half-written file under the target's name.
 */
public final class Download {

    private Download() {}

    /** MD5 of a file, as lower-case hex. */
    public static String md5(Path file) throws IOException {
        MessageDigest md = newMd5();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Makes sure {@code target} holds the file at {@code url} with the given MD5: a cached copy
     * with the right checksum is kept, a corrupt one is replaced.
     *
     * @return {@code target}
     * @throws IOException with a message saying what failed and how to provide the file by hand
     */
    public static Path cached(URI url, Path target, String expectedMd5, PrintStream log) throws IOException {
        if (Files.isRegularFile(target)) {
            String actual = md5(target);
            if (actual.equalsIgnoreCase(expectedMd5)) {
                return target;
            }
            log.printf(
                    "The cached file %s is corrupt (MD5 %s, expected %s): downloading it again.%n",
                    target, actual, expectedMd5);
            Files.delete(target);
        }
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part-" + UUID.randomUUID());
        try {
            log.printf("Downloading %s%n  to %s ...%n", url, target);
            MessageDigest md = newMd5();
            URLConnection c = url.toURL().openConnection();
            c.setConnectTimeout(30_000);
            c.setReadTimeout(60_000);
            long total = c.getContentLengthLong();
            try (InputStream in = new DigestInputStream(c.getInputStream(), md);
                    OutputStream out = Files.newOutputStream(part)) {
                copyWithProgress(in, out, total, log);
            }
            String actual = HexFormat.of().formatHex(md.digest());
            if (!actual.equalsIgnoreCase(expectedMd5)) {
                throw new IOException("the download from " + url + " is corrupt (MD5 " + actual + ", expected "
                        + expectedMd5 + "); it was discarded, try again");
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            log.printf("  done, %,d MB.%n", Files.size(target) >> 20);
            return target;
        } catch (IOException e) {
            throw new IOException(
                    "Could not download " + url + " (" + e.getMessage() + ").\n"
                            + "Download it by hand and save it as " + target + ",\n"
                            + "or point RNNLAB_IMDB at a copy of the archive or of its unpacked folder.",
                    e);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static void copyWithProgress(InputStream in, OutputStream out, long total, PrintStream log)
            throws IOException {
        byte[] buf = new byte[1 << 16];
        long done = 0;
        int lastTenth = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            done += n;
            if (total > 0) {
                int tenth = (int) (done * 10 / total);
                if (tenth > lastTenth) {
                    lastTenth = tenth;
                    log.printf("  %d%% (%,d of %,d MB)%n", tenth * 10, done >> 20, total >> 20);
                }
            }
        }
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no MD5", e);
        }
    }
}
