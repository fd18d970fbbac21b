package org.rnnlab.data;

/** The IMDB reviews as loaded: train and test halves, and where they came from. */
public record ImdbData(ImdbSplit train, ImdbSplit test, String source) {

    @Override
    public String toString() {
        return String.format(
                "IMDB from %s: %,d train reviews (%,d positive), %,d test reviews (%,d positive)",
                source, train.size(), train.positives(), test.size(), test.positives());
    }
}
