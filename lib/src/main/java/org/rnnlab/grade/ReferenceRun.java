package org.rnnlab.grade;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Optional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.rnnlab.Mode;
import org.rnnlab.data.Imdb;
import org.rnnlab.data.ImdbData;
import org.rnnlab.eval.BinaryReport;
import org.rnnlab.eval.ExerciseResult;
import org.rnnlab.text.Sequences;
import org.rnnlab.text.Tokenizer;
import org.rnnlab.train.History;
import org.rnnlab.train.Predictor;
import org.rnnlab.train.Trainer;

/**
 * Trains a sentiment exercise's reference network ({@link ReferenceModels}) with the exercise's
 * pipeline and settings, in the current mode, and saves its result record: how the comparison
 * notebook fills in an exercise whose notebook has not been run (in the practice build of the library).
 */
public final class ReferenceRun {

    private ReferenceRun() {}

    /**
     * Trains exercise {@code id} ("6.01" … "6.05"), prints one line, saves and returns its record; in the
     * graded build of the library (no reference networks) prints which notebook to run instead and returns nothing.
     */
    public static Optional<ExerciseResult> train(String id) {
        ExerciseSpec spec = Grader.exercise(id);
        if (Solutions.graded()) {
            System.out.printf(
                    "%s %s: no record yet; run notebooks/exercises/%s.ipynb first (this graded build of the "
                            + "library does not train the exercises' networks itself).%n",
                    id, spec.title(), spec.notebook());
            return Optional.empty();
        }
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Imdb source = new Imdb(System.getenv(), Imdb.URL, quiet);
        ImdbData imdb = Mode.current() == Mode.QUICK ? source.sample() : source.full();
        Tokenizer tokenizer = new Tokenizer((int) spec.layers().get(0).nIn());
        tokenizer.fitOnTexts(imdb.train().texts());
        int[][] xTrain =
                Sequences.padSequences(tokenizer.textsToSequences(imdb.train().texts()), Exercises.MAX_LEN);
        int[][] xTest =
                Sequences.padSequences(tokenizer.textsToSequences(imdb.test().texts()), Exercises.MAX_LEN);
        int[] yTest = imdb.test().labels();
        MultiLayerNetwork model = ReferenceModels.build(id, 42);
        Trainer trainer = Trainer.of(model)
                .epochs(spec.epochs())
                .batchSize(spec.batchSize())
                .validationSplit(spec.validationSplit())
                .keepBestWeights(spec.monitor())
                .verbose(0)
                .output(quiet);
        History history = trainer.fit(xTrain, imdb.train().labels());
        BinaryReport last = BinaryReport.of(Predictor.predict(model, xTest), yTest);
        trainer.restoreBestWeights();
        BinaryReport best = BinaryReport.of(Predictor.predict(model, xTest), yTest);
        ExerciseResult r = new ExerciseResult(
                id,
                spec.title(),
                ExerciseResult.recurrentParams(model),
                history.totalSeconds(),
                history.epochCount(),
                last.accuracy(),
                best.accuracy(),
                history.bestEpoch(spec.monitor()),
                history.mode(),
                java.time.LocalDate.now());
        System.out.printf(
                "%s %s: trained here, %d epochs in %.0f s, test accuracy %.2f %% (best validation epoch)%n",
                id, spec.title(), r.epochs(), r.trainingSeconds(), 100 * r.testAccuracyBest());
        r.save();
        return Optional.of(r);
    }
}
