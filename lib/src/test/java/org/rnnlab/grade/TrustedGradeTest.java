package org.rnnlab.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.rnnlab.Mode;
import org.rnnlab.layers.GRU;
import org.rnnlab.text.Tokenizer;
import org.rnnlab.train.Trainer;

class TrustedGradeTest {

    @TempDir
    Path dir;

    private void put(String name, Object value) {
        Handover.put(dir.toString(), name, value);
    }

    /** The graded steps of {@code exercise} from the files in {@link #dir}, by step name. */
    private Map<String, JsonNode> grade(Mode mode, String exercise) throws Exception {
        String json = TrustedGrade.gradeJson(mode, exercise, dir);
        assertTrue(json.chars().allMatch(c -> c >= 0x20 && c < 0x7f), json);
        JsonNode root = new ObjectMapper().readTree(json);
        assertEquals(exercise, root.get("exercise").asText());
        assertEquals(mode.label(), root.get("mode").asText());
        Map<String, JsonNode> steps = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (JsonNode s : root.get("steps")) {
            steps.put(s.get("step").asText(), s);
            order.add(s.get("step").asText());
            assertTrue(s.get("report").asText().startsWith("Check " + exercise + " · "), s.toString());
        }
        assertEquals(Grader.exercise(exercise).steps().stream().map(Step::name).toList(), order);
        return steps;
    }

    private static int points(JsonNode step) {
        return step.get("points").asInt();
    }

    private static String feedback(JsonNode step) {
        return step.get("feedback").asText();
    }

    private static Tokenizer tokenizer() {
        return new Tokenizer(8000, null).fitOnTexts(List.of("a good film", "a bad film", "good good fun"));
    }

    @Test
    void aCorrectNetworkRoundTripsToFullPoints() throws Exception {
        MultiLayerNetwork net = ReferenceModels.build("6.01", 42);
        put("model", net);
        put("trainer", GraderTest.trainer(net, 10));
        put("tokenizer", tokenizer());
        TrustedGrade.Loaded loaded = TrustedGrade.load(dir, "model");
        MultiLayerNetwork back = assertInstanceOf(MultiLayerNetwork.class, loaded.value(), loaded.problem());
        assertEquals(net.params(), back.params());
        assertEquals(net.getLayerWiseConfigurations(), back.getLayerWiseConfigurations());

        Map<String, JsonNode> steps = grade(Mode.QUICK, "6.01");
        assertEquals(5, points(steps.get("model")), steps.get("model").toString());
        assertEquals(5, steps.get("model").get("maxPoints").asInt());
        assertEquals(5, points(steps.get("training")), steps.get("training").toString());
        // the mode argument wins over RNNLAB_MODE: in quick mode the test accuracy is measured but not graded
        assertEquals(0, steps.get("results").get("maxPoints").asInt());
        assertEquals(0, points(steps.get("results")));
        assertTrue(
                feedback(steps.get("results")).contains("in quick mode"),
                steps.get("results").toString());
        assertEquals("all checks passed", feedback(steps.get("model")));
        assertEquals(
                Grader.model("6.01", net).report(),
                steps.get("model").get("report").asText());
    }

    @Test
    void aWrongNetworkGetsWhatTheLiveCheckGives() throws Exception {
        MultiLayerNetwork lstm = GraderTest.net(new LastTimeStep(GraderTest.lstm()));
        put("model", lstm);
        put("trainer", Trainer.of(lstm).epochs(3));
        Map<String, JsonNode> steps = grade(Mode.FULL, "6.01");
        StepResult live = Grader.model("6.01", lstm);
        assertEquals(3, live.points());
        assertEquals(live.points(), points(steps.get("model")));
        assertEquals(live.feedback(), feedback(steps.get("model")));
        StepResult liveTraining = Grader.training("6.01", lstm, Trainer.of(lstm).epochs(3));
        assertEquals(liveTraining.points(), points(steps.get("training")));
        assertEquals(liveTraining.feedback(), feedback(steps.get("training")));
        // no tokenizer: no test accuracy, the hint for a missing one
        assertEquals(0, points(steps.get("results")));
        assertEquals(2, steps.get("results").get("maxPoints").asInt());
    }

    @Test
    void aNetworkHandedOverBeforeInitGradesAsTheLiveOne() throws Exception {
        MultiLayerNetwork net = GraderTest.net(
                List.of(new LastTimeStep(GraderTest.rnn(32).build())),
                0.6,
                32,
                LossFunction.XENT,
                new org.nd4j.linalg.learning.config.RmsProp(0.001, 0.9, 1e-7),
                false);
        put("model", net);
        StepResult live = Grader.model("6.01", net);
        Map<String, JsonNode> steps = grade(Mode.QUICK, "6.01");
        assertEquals(live.points(), points(steps.get("model")));
        assertEquals(live.feedback(), feedback(steps.get("model")));
    }

    @Test
    void missingFilesCountAsNull() throws Exception {
        Map<String, JsonNode> steps = grade(Mode.FULL, "6.01");
        assertEquals(0, points(steps.get("model")));
        assertTrue(feedback(steps.get("model")).contains("`model` is null"), feedback(steps.get("model")));
        assertEquals(0, points(steps.get("training")));
        assertTrue(feedback(steps.get("training")).contains("`trainer` is null"), feedback(steps.get("training")));
        assertEquals(0, points(steps.get("results")));
        assertEquals(2, steps.get("results").get("maxPoints").asInt());
        assertTrue(feedback(steps.get("results")).contains("no test accuracy"), feedback(steps.get("results")));

        Map<String, JsonNode> layers = grade(Mode.FULL, "6.07");
        assertEquals(0, points(layers.get("layers")));
        assertEquals(3, layers.get("layers").get("maxPoints").asInt());
        assertTrue(feedback(layers.get("layers")).contains("`rnnLayer` is null"), feedback(layers.get("layers")));

        // a folder that does not exist is the same
        assertEquals(
                TrustedGrade.gradeJson(Mode.FULL, "6.01", dir),
                TrustedGrade.gradeJson(Mode.FULL, "6.01", dir.resolve("nowhere")));
    }

    @Test
    void aCorruptModelFailsItsItemsAndTheRestIsGraded() throws Exception {
        MultiLayerNetwork net = ReferenceModels.build("6.01", 42);
        put("model", net);
        byte[] zip = Files.readAllBytes(dir.resolve("model.model.zip"));
        put("trainer", GraderTest.trainer(net, 10));
        for (byte[] bad : List.of(
                "this is not a zip".getBytes(StandardCharsets.US_ASCII),
                java.util.Arrays.copyOf(zip, zip.length / 2),
                new byte[0])) {
            Files.write(dir.resolve("model.model.zip"), bad);
            Map<String, JsonNode> steps = grade(Mode.QUICK, "6.01");
            assertEquals(0, points(steps.get("model")));
            assertTrue(
                    feedback(steps.get("model")).contains("`model` could not be read: "), feedback(steps.get("model")));
            assertTrue(!feedback(steps.get("model")).contains("\tat "), "no stack trace");
            // the trainer's items still count
            assertEquals(3, points(steps.get("training")), steps.get("training").toString());
            assertTrue(feedback(steps.get("training")).contains("`model` could not be read: "));
        }
    }

    @Test
    void hostileModelFilesAreRefused() throws Exception {
        // a configuration asking for far too many parameters
        MultiLayerNetwork huge = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .list()
                .layer(new DenseLayer.Builder().nIn(100_000).nOut(100_000).build())
                .layer(new OutputLayer.Builder(LossFunction.XENT)
                        .nIn(100_000)
                        .nOut(1)
                        .activation(Activation.SIGMOID)
                        .build())
                .build());
        writeZip(Map.of("configuration.json", huge.getLayerWiseConfigurations().toJson(), "coefficients.bin", ""));
        assertProblem("model", "parameters, the most a hand-over may hold");

        // parameters that do not fit the configuration
        MultiLayerNetwork net = ReferenceModels.build("6.01", 42);
        MultiLayerNetwork other = GraderTest.net(new LastTimeStep(GraderTest.lstm()));
        ByteArrayOutputStreamWithZip both = new ByteArrayOutputStreamWithZip();
        ModelSerializer.writeModel(other, both, false);
        Map<String, byte[]> entries = both.entries();
        writeZipBytes(Map.of(
                "configuration.json",
                net.getLayerWiseConfigurations().toJson().getBytes(StandardCharsets.UTF_8),
                "coefficients.bin",
                entries.get("coefficients.bin")));
        assertProblem("model", "coefficients.bin holds 264,353 parameters, its configuration needs 258,113");

        // a configuration that is not JSON, and one that is not a network's
        writeZip(Map.of("configuration.json", "{{", "coefficients.bin", ""));
        assertProblem("model", "is not valid JSON");
        writeZip(Map.of("configuration.json", "{\"a\": 1}", "coefficients.bin", ""));
        assertProblem("model", "is not a MultiLayerNetwork configuration");
        writeZip(Map.of("something.else", "x"));
        assertProblem("model", "it is not a DL4J model file");

        // a ComputationGraph's model file
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunction.XENT)
                                .nIn(2)
                                .nOut(1)
                                .activation(Activation.SIGMOID)
                                .build(),
                        "in")
                .setOutputs("out")
                .build());
        graph.init();
        ModelSerializer.writeModel(graph, dir.resolve("model.model.zip").toFile(), false);
        assertProblem("model", "ComputationGraph's configuration, not a MultiLayerNetwork's");
        // and the graph itself handed over
        put("model", graph);
        assertProblem("model", "`model` is a ComputationGraph, not a MultiLayerNetwork.");
    }

    @Test
    void otherTypesAreNamed() throws Exception {
        put("model", "a string");
        put("trainer", tokenizer());
        put("tokenizer", 3);
        Map<String, JsonNode> steps = grade(Mode.FULL, "6.01");
        assertEquals(0, points(steps.get("model")));
        assertTrue(
                feedback(steps.get("model")).contains("`model` is a String, not a MultiLayerNetwork."),
                feedback(steps.get("model")));
        assertTrue(
                feedback(steps.get("training")).contains("`trainer` is a Tokenizer, not a Trainer."),
                feedback(steps.get("training")));
        assertTrue(
                feedback(steps.get("results")).contains("`tokenizer` is an Integer, not a Tokenizer."),
                feedback(steps.get("results")));
        // a class the learner declared in the notebook: its own name, without JShell's wrapper
        Files.delete(dir.resolve("model.other"));
        Files.writeString(dir.resolve("model.other"), "REPL.$JShell$23$MyNet\n\u2028<b>");
        assertProblem("model", "`model` is a MyNetb, not a MultiLayerNetwork.");
    }

    @Test
    void oversizedAndOddFilesAreRefusedUnread() throws Exception {
        try (RandomAccessFile f =
                new RandomAccessFile(dir.resolve("model.model.zip").toFile(), "rw")) {
            f.setLength(TrustedGrade.MAX_FILE_BYTES + 1);
        }
        assertProblem("model", "`model` could not be read: model.model.zip is larger than 64 MB (64.0 MB)");
        Files.delete(dir.resolve("model.model.zip"));

        Files.createSymbolicLink(dir.resolve("model.model.zip"), Path.of("/dev/zero"));
        assertProblem("model", "model.model.zip is not a plain file");
        Files.delete(dir.resolve("model.model.zip"));

        Files.createDirectory(dir.resolve("trainer.trainer.json"));
        assertProblem("trainer", "trainer.trainer.json is not a plain file");
        Files.delete(dir.resolve("trainer.trainer.json"));

        put("model", ReferenceModels.build("6.01", 1));
        Files.writeString(dir.resolve("model.null"), "");
        assertProblem("model", "`model` was handed over more than once (model.model.zip, model.null)");

        Files.writeString(dir.resolve("trainer.trainer.json"), "[".repeat(100_000));
        assertProblem("trainer", "`trainer` could not be read: ");
        Files.writeString(dir.resolve("tokenizer.tokenizer.json"), "{\"numWords\": \"many\"}");
        assertProblem("tokenizer", "`tokenizer` could not be read: tokenizer JSON field \"numWords\"");
    }

    @Test
    void theAirlineLayersRoundTripToFullPoints() throws Exception {
        List<Layer> right = List.of(
                new SimpleRnn.Builder()
                        .nIn(1)
                        .nOut(64)
                        .activation(Activation.TANH)
                        .build(),
                new LSTM.Builder().nIn(1).nOut(64).activation(Activation.TANH).build(),
                new GRU.Builder().nIn(1).nOut(64).build());
        List<Layer> wrong = List.of(
                new LSTM.Builder().nIn(1).nOut(64).activation(Activation.TANH).build(),
                new LSTM.Builder().nIn(1).nOut(64).build(),
                new GRU.Builder().nIn(1).nOut(32).build());
        List<String> names = List.of("rnnLayer", "lstmLayer", "gruLayer");
        for (List<Layer> layers : List.of(right, wrong)) {
            for (int i = 0; i < 3; i++) {
                put(names.get(i), layers.get(i));
                Layer back = (Layer) TrustedGrade.load(dir, names.get(i)).value();
                assertEquals(layers.get(i), back);
            }
            StepResult live = Grader.layers("6.07", layers.toArray(Layer[]::new));
            Map<String, JsonNode> steps = grade(Mode.FULL, "6.07");
            assertEquals(live.points(), points(steps.get("layers")));
            assertEquals(live.feedback(), feedback(steps.get("layers")));
            assertEquals(live.report(), steps.get("layers").get("report").asText());
        }
        assertTrue(Grader.layers("6.07", wrong.toArray(Layer[]::new)).points() < 3);
        assertEquals(3, Grader.layers("6.07", right.toArray(Layer[]::new)).points());

        put("gruLayer", ReferenceModels.build("6.01", 1));
        assertTrue(feedback(grade(Mode.FULL, "6.07").get("layers"))
                .contains("`gruLayer` is a MultiLayerNetwork, not a layer configuration"));
    }

    @Test
    void mainPrintsOneLineAndExitsZero() throws Exception {
        put("model", "not a network");
        Files.writeString(dir.resolve("trainer.trainer.json"), "{broken");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "--add-modules",
                        "jdk.incubator.vector",
                        "-cp",
                        System.getProperty("java.class.path"),
                        TrustedGrade.class.getName(),
                        "quick",
                        "6.01",
                        dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        String[] lines = out.split("\n", -1);
        assertEquals(2, lines.length, out);
        assertEquals("", lines[1]);
        assertTrue(lines[0].startsWith(TrustedGrade.MARK + " {\"exercise\": \"6.01\", \"mode\": \"quick\""), out);
        JsonNode root = new ObjectMapper().readTree(lines[0].substring(TrustedGrade.MARK.length() + 1));
        assertEquals(3, root.get("steps").size());
        for (JsonNode s : root.get("steps")) {
            assertEquals(0, s.get("points").asInt(), s.toString());
        }

        Process usage = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), TrustedGrade.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertEquals("", new String(usage.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertTrue(usage.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, usage.exitValue());
    }

    @Test
    void problemsReplaceTheNullHintsAndNeverAddPoints() {
        StepResult r = new StepResult(
                "6.01",
                "training",
                List.of(
                        CheckItem.fail("loss", 1, "`model` is null: build it."),
                        CheckItem.pass("epochs", 1, "10 epochs"),
                        CheckItem.fail("validation", 1, "held out nothing")));
        StepResult e = TrustedGrade.explain(r, Map.of("model", "`model` could not be read: bad."));
        assertEquals(r.points(), e.points());
        assertEquals(r.maxPoints(), e.maxPoints());
        assertEquals("`model` could not be read: bad.", e.items().get(0).feedback());
        assertEquals("10 epochs", e.items().get(1).feedback());
        assertEquals("held out nothing", e.items().get(2).feedback());
        StepResult f = TrustedGrade.explain(r, Map.of("tokenizer", "`tokenizer` is a String, not a Tokenizer."));
        assertEquals(
                "`tokenizer` is a String, not a Tokenizer. (held out nothing)",
                f.items().get(2).feedback());
    }

    private void assertProblem(String name, String text) {
        TrustedGrade.Loaded l = TrustedGrade.load(dir, name);
        String problem = l.problem();
        if (problem == null && l.what() != null) {
            problem = "`" + name + "` is " + l.what() + ", not a MultiLayerNetwork.";
        }
        assertNull(l.value(), name);
        assertTrue(problem != null && problem.contains(text), name + ": " + problem);
        assertTrue(problem.length() < 400, problem);
    }

    private void writeZip(Map<String, String> entries) throws Exception {
        Map<String, byte[]> bytes = new HashMap<>();
        entries.forEach((k, v) -> bytes.put(k, v.getBytes(StandardCharsets.UTF_8)));
        writeZipBytes(bytes);
    }

    private void writeZipBytes(Map<String, byte[]> entries) throws Exception {
        File f = dir.resolve("model.model.zip").toFile();
        try (ZipOutputStream z = new ZipOutputStream(new java.io.FileOutputStream(f))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
    }

    /** Collects a model file written to a stream and lists its entries. */
    private static final class ByteArrayOutputStreamWithZip extends java.io.ByteArrayOutputStream {
        Map<String, byte[]> entries() throws Exception {
            Map<String, byte[]> out = new HashMap<>();
            try (var z = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(toByteArray()))) {
                for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                    out.put(e.getName(), z.readAllBytes());
                }
            }
            return out;
        }
    }
}
