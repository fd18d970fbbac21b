package org.rnnlab.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * One half of IMDB (train or test): review texts, sentiment labels (1 positive, 0 negative) and
 * star ratings (1–10, from the file names), index-aligned.
 */
public record ImdbSplit(List<String> texts, int[] labels, int[] stars) {

    /** Checks that the three columns have the same length and copies them. */
    public ImdbSplit {
        if (texts.size() != labels.length || labels.length != stars.length) {
            throw new IllegalArgumentException("texts, labels and stars differ in length: " + texts.size() + ", "
                    + labels.length + ", " + stars.length);
        }
        texts = List.copyOf(texts);
        labels = labels.clone();
        stars = stars.clone();
    }

    /** Number of reviews. */
    public int size() {
        return texts.size();
    }

    /** The labels (1 positive, 0 negative); a copy. */
    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** The star ratings (1–10); a copy. */
    @Override
    public int[] stars() {
        return stars.clone();
    }

    /** Number of positive reviews. */
    public int positives() {
        int n = 0;
        for (int l : labels) {
            n += l;
        }
        return n;
    }

    /** The first {@code n} reviews (all of them if there are fewer), e.g. a slice for a quick run. */
    public ImdbSplit first(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot take " + n + " reviews: give a count of 0 or more");
        }
        int k = Math.min(n, size());
        return new ImdbSplit(
                texts.subList(0, k), java.util.Arrays.copyOf(labels, k), java.util.Arrays.copyOf(stars, k));
    }

    /** The same reviews in an order shuffled by a Fisher–Yates pass driven by {@code rng}. */
    public ImdbSplit shuffled(Random rng) {
        List<Integer> order = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, rng);
        List<String> t = new ArrayList<>(size());
        int[] l = new int[size()];
        int[] s = new int[size()];
        for (int i = 0; i < size(); i++) {
            int j = order.get(i);
            t.add(texts.get(j));
            l[i] = labels[j];
            s[i] = stars[j];
        }
        return new ImdbSplit(t, l, s);
    }
}
