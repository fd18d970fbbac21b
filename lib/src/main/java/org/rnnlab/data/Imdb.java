package org.rnnlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.rnnlab.Mode;

/**
 * Loads the Large Movie Review Dataset v1.0 (Maas et al., 2011): 25,000 training and 25,000 test
 * reviews, half positive and half negative.
 *
 * <p>Where the reviews come from:
 * <ul>
 *   <li>quick mode: a sample shipped with the library (6,000 train and 2,000 test reviews, see
 *       {@code data/README.md});</li>
 *   <li>full mode: the archive or unpacked folder named by {@code RNNLAB_IMDB} if set; otherwise
 *       {@code aclImdb_v1.tar.gz} in the cache folder ({@code RNNLAB_CACHE}, default
 *       {@code ~/.cache/rnnlab}), downloaded from the dataset's home page on first use and
 *       verified by its MD5.</li>
 * </ul>
 * Like Keras' {@code imdb.load_data}, both halves are shuffled with a fixed seed, so that a
 * validation split taken from the end of the training data holds both classes.
 */
public final class Imdb {

    /** The dataset's home-page download. */
    public static final URI URL = URI.create("https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz");
    /** MD5 of {@code aclImdb_v1.tar.gz}. */
    public static final String MD5 = "7c2ac02c03563afcf9b574c7e56c153a";
    /** File name in the cache folder. */
    public static final String ARCHIVE_NAME = "aclImdb_v1.tar.gz";
    /** Environment variable naming a local archive or unpacked folder to read instead of downloading. */
    public static final String ENV_SOURCE = "RNNLAB_IMDB";
    /** Environment variable naming the cache folder. */
    public static final String ENV_CACHE = "RNNLAB_CACHE";
    /** Seed of the shuffle, the one Keras' IMDB loader uses. */
    public static final long SHUFFLE_SEED = 113;
    /** Class-path location of the quick-mode sample. */
    public static final String SAMPLE_RESOURCE = "/org/rnnlab/data/imdb-sample.tar.gz";

    private final Map<String, String> env;
    private final URI url;
    private final PrintStream log;

    /** A loader reading the given environment, downloading from {@code url} when needed, reporting to {@code log}. */
    public Imdb(Map<String, String> env, URI url, PrintStream log) {
        this.env = Map.copyOf(env);
        this.url = url;
        this.log = log;
    }

    /** Loads IMDB for the current {@link Mode}, reading this process's environment. */
    public static ImdbData load() {
        return load(Mode.current());
    }

    /** Loads IMDB for the given mode, reading this process's environment. */
    public static ImdbData load(Mode mode) {
        Imdb imdb = new Imdb(System.getenv(), URL, System.out);
        ImdbData data = mode == Mode.QUICK ? imdb.sample() : imdb.full();
        System.out.println(data);
        return data;
    }

    /** The shipped quick-mode sample. */
    public ImdbData sample() {
        try (InputStream in = Imdb.class.getResourceAsStream(SAMPLE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The IMDB sample " + SAMPLE_RESOURCE + " is not on the class path: "
                        + "rebuild the library with ./lab setup");
            }
            return assemble(ImdbArchiveReader.readArchive(in), "the quick-mode sample (" + Mode.ENV + "=quick)");
        } catch (IOException e) {
            throw new UncheckedIOException("The IMDB sample could not be read: " + e.getMessage(), e);
        }
    }

    /** The full dataset: from {@code RNNLAB_IMDB}, else the cache, else downloaded into the cache. */
    public ImdbData full() {
        Path source = locate();
        try {
            return assemble(ImdbArchiveReader.read(source), source.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Could not read IMDB from " + source + ": " + e.getMessage()
                            + ". If it is a partial or corrupt copy, delete it and load again.",
                    e);
        }
    }

    /** Where the full dataset is read from, downloading it into the cache if needed. */
    public Path locate() {
        String given = env.get(ENV_SOURCE);
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given);
            if (!Files.exists(p)) {
                throw new IllegalStateException(
                        ENV_SOURCE + " is set to " + p.toAbsolutePath() + ", which does not exist.\n"
                                + "Point it at aclImdb_v1.tar.gz (from " + URL + ") or at its unpacked folder, "
                                + "or unset it to download the archive into " + cacheFile() + ".");
            }
            return p;
        }
        try {
            return Download.cached(url, cacheFile(), MD5, log);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "IMDB is not available. Looked for " + cacheFile() + " (" + ENV_SOURCE + " is not set).\n"
                            + e.getMessage(),
                    e);
        }
    }

    /** The cached archive's path: {@code $RNNLAB_CACHE/aclImdb_v1.tar.gz} or {@code ~/.cache/rnnlab/aclImdb_v1.tar.gz}. */
    public Path cacheFile() {
        String cache = env.get(ENV_CACHE);
        Path dir = cache != null && !cache.isBlank()
                ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "rnnlab");
        return dir.resolve(ARCHIVE_NAME);
    }

    private static ImdbData assemble(List<ImdbArchiveReader.Review> reviews, String source) {
        List<ImdbArchiveReader.Review> train = new ArrayList<>();
        List<ImdbArchiveReader.Review> test = new ArrayList<>();
        for (ImdbArchiveReader.Review r : reviews) {
            (r.train() ? train : test).add(r);
        }
        if (train.isEmpty() || test.isEmpty()) {
            throw new IllegalStateException(source + " holds " + train.size() + " training and " + test.size()
                    + " test reviews: expected files named aclImdb/{train,test}/{pos,neg}/<id>_<stars>.txt. "
                    + "Is it the IMDB archive aclImdb_v1.tar.gz from " + URL + "?");
        }
        Random rng = new Random(SHUFFLE_SEED);
        return new ImdbData(split(train).shuffled(rng), split(test).shuffled(rng), source);
    }

    private static ImdbSplit split(List<ImdbArchiveReader.Review> rs) {
        List<String> texts = new ArrayList<>(rs.size());
        int[] labels = new int[rs.size()];
        int[] stars = new int[rs.size()];
        for (int i = 0; i < rs.size(); i++) {
            texts.add(rs.get(i).text());
            labels[i] = rs.get(i).label();
            stars[i] = rs.get(i).stars();
        }
        return new ImdbSplit(texts, labels, stars);
    }
}
