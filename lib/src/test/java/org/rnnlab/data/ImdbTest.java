package org.rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImdbTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    private static Imdb imdb(Map<String, String> env) {
        return new Imdb(env, Imdb.URL, QUIET);
    }

    @Test
    void theShippedSampleHoldsBalancedTrainAndTestReviews() {
        ImdbData d = imdb(Map.of()).sample();
        assertEquals(6000, d.train().size());
        assertEquals(3000, d.train().positives());
        assertEquals(2000, d.test().size());
        assertEquals(1000, d.test().positives());
        int[] labels = d.train().labels();
        int[] stars = d.train().stars();
        for (int i = 0; i < labels.length; i++) {
            assertTrue(
                    labels[i] == 1 ? stars[i] >= 7 && stars[i] <= 10 : stars[i] >= 1 && stars[i] <= 4,
                    "review " + i + ": label " + labels[i] + " with " + stars[i] + " stars");
        }
    }

    @Test
    void firstTakesAnAlignedSlice() {
        ImdbSplit train = imdb(Map.of()).sample().train();
        ImdbSplit head = train.first(320);
        assertEquals(320, head.size());
        assertEquals(train.texts().subList(0, 320), head.texts());
        assertEquals(train.stars()[319], head.stars()[319]);
        assertEquals(train.labels()[5], head.labels()[5]);
        assertEquals(6000, train.first(9000).size());
        assertThrows(IllegalArgumentException.class, () -> train.first(-1));
    }

    @Test
    void loadingIsDeterministicAndShuffledSoTheValidationTailHoldsBothClasses() {
        ImdbData a = imdb(Map.of()).sample();
        ImdbData b = imdb(Map.of()).sample();
        assertEquals(a.train().texts(), b.train().texts());
        int[] labels = a.train().labels();
        int tailPositives = 0;
        for (int i = (int) (labels.length * 0.8); i < labels.length; i++) {
            tailPositives += labels[i];
        }
        // 1,200 reviews: a shuffle puts roughly half positives there; unshuffled it would be all 1,200.
        assertTrue(tailPositives > 500 && tailPositives < 700, "positives in the last 20 %: " + tailPositives);
    }

    @Test
    void readsAnUnpackedFolder(@TempDir Path dir) throws Exception {
        write(dir, "aclImdb/train/pos/3_9.txt", "Loved it");
        write(dir, "aclImdb/train/neg/1_2.txt", "Hated it");
        write(dir, "aclImdb/test/pos/0_10.txt", "Great");
        write(dir, "aclImdb/test/neg/0_1.txt", "Awful");
        write(dir, "aclImdb/imdb.vocab", "not a review");
        ImdbData d = imdb(Map.of(Imdb.ENV_SOURCE, dir.toString())).full();
        assertEquals(2, d.train().size());
        assertEquals(1, d.train().positives());
        assertEquals(2, d.test().size());
        int i = d.train().texts().indexOf("Loved it");
        assertEquals(9, d.train().stars()[i]);
        assertEquals(1, d.train().labels()[i]);
    }

    @Test
    void aMissingSourceSaysWhereItLookedAndHowToFixIt(@TempDir Path dir) {
        Path missing = dir.resolve("nowhere.tar.gz");
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> imdb(Map.of(Imdb.ENV_SOURCE, missing.toString())).full());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("aclImdb_v1.tar.gz"), e.getMessage());
    }

    @Test
    void aFolderWithoutReviewsIsRejectedWithAnExplanation(@TempDir Path dir) throws Exception {
        write(dir, "something/else.txt", "x");
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> imdb(Map.of(Imdb.ENV_SOURCE, dir.toString())).full());
        assertTrue(e.getMessage().contains("0 training and 0 test reviews"), e.getMessage());
    }

    @Test
    void anUnreachableDownloadSaysWhereToPutTheArchive(@TempDir Path dir) {
        Imdb offline = new Imdb(
                Map.of(Imdb.ENV_CACHE, dir.toString()),
                dir.resolve("absent.tar.gz").toUri(),
                QUIET);
        IllegalStateException e = assertThrows(IllegalStateException.class, offline::full);
        assertTrue(e.getMessage().contains(dir.resolve(Imdb.ARCHIVE_NAME).toString()), e.getMessage());
        assertTrue(e.getMessage().contains(Imdb.ENV_SOURCE), e.getMessage());
    }

    @Test
    void theFullDatasetHas25000ReviewsPerHalf() {
        String source = System.getenv(Imdb.ENV_SOURCE);
        assumeTrue(source != null && Files.exists(Path.of(source)), "RNNLAB_IMDB points at no IMDB archive");
        ImdbData d = imdb(Map.of(Imdb.ENV_SOURCE, source)).full();
        assertEquals(25000, d.train().size());
        assertEquals(12500, d.train().positives());
        assertEquals(25000, d.test().size());
        assertEquals(12500, d.test().positives());
    }

    private static void write(Path root, String rel, String text) throws Exception {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }
}
