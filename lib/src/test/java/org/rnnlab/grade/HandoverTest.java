package org.rnnlab.grade;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.rnnlab.text.Tokenizer;
import org.rnnlab.train.Trainer;
import org.rnnlab.train.TrainingSettings;

class HandoverTest {

    @TempDir
    Path dir;

    private List<String> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void eachTypeGetsItsFileAndNothingIsPrinted() throws Exception {
        MultiLayerNetwork net = ReferenceModels.build("6.01", 42);
        Trainer trainer = GraderTest.trainer(net, 10);
        Tokenizer tokenizer = new Tokenizer(10, "<OOV>").fitOnTexts(List.of("a b c", "b c d"));
        PrintStream old = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            Handover.put(dir.toString(), "model", net);
            Handover.put(dir.toString(), "trainer", trainer);
            Handover.put(dir.toString(), "tokenizer", tokenizer);
            Handover.put(
                    dir.toString(),
                    "rnnLayer",
                    new SimpleRnn.Builder()
                            .nIn(1)
                            .nOut(64)
                            .activation(Activation.TANH)
                            .build());
            Handover.put(dir.toString(), "nothing", null);
            Handover.put(dir.toString(), "text", "a string");
        } finally {
            System.setOut(old);
        }
        assertEquals("", printed.toString(StandardCharsets.UTF_8));
        assertEquals(
                List.of(
                        "model.model.zip",
                        "nothing.null",
                        "rnnLayer.layer.json",
                        "text.other",
                        "tokenizer.tokenizer.json",
                        "trainer.trainer.json"),
                files());
        assertEquals(0, Files.size(dir.resolve("nothing.null")));
        assertEquals("java.lang.String", Files.readString(dir.resolve("text.other")));
        assertEquals(
                trainer.settings(), Handover.settingsFromJson(Files.readString(dir.resolve("trainer.trainer.json"))));
        assertEquals(tokenizer.toJson(), Files.readString(dir.resolve("tokenizer.tokenizer.json")));
    }

    @Test
    void aLaterPutReplacesAnEarlierOneOfAnyType() throws Exception {
        Handover.put(dir.toString(), "model", "first");
        Handover.put(dir.toString(), "model", null);
        assertEquals(List.of("model.null"), files());
        Handover.put(dir.toString(), "model", 42);
        assertEquals(List.of("model.other"), files());
        assertEquals("java.lang.Integer", Files.readString(dir.resolve("model.other")));
    }

    @Test
    void putCreatesTheFolder() throws Exception {
        Path nested = dir.resolve("a/b");
        Handover.put(nested.toString(), "x", null);
        assertTrue(Files.isRegularFile(nested.resolve("x.null")));
    }

    @Test
    void namesAreChecked() {
        for (String bad : new String[] {null, "", "1model", "model.zip", "../x", "a b", "a".repeat(42), "mödel"}) {
            assertThrows(IllegalArgumentException.class, () -> Handover.put(dir.toString(), bad, null), "" + bad);
            assertThrows(IllegalArgumentException.class, () -> Handover.call(dir.toString(), bad), "" + bad);
        }
        Handover.put(dir.toString(), "a" + "b".repeat(40), null);
        assertThrows(IllegalArgumentException.class, () -> Handover.put(null, "model", null));
    }

    @Test
    void settingsJsonIsValidated() {
        TrainingSettings s = new TrainingSettings(10, 128, 0.2, null, 0);
        assertEquals(s, Handover.settingsFromJson(Handover.settingsJson(s)));
        for (String bad : new String[] {
            "",
            "[]",
            "{}",
            "{\"epochs\": \"ten\", \"batchSize\": 1, \"validationSplit\": 0, \"keepBestOf\": null, \"patience\": 0}",
            "{\"epochs\": 1, \"batchSize\": 1, \"validationSplit\": \"x\", \"keepBestOf\": null, \"patience\": 0}",
            "{\"epochs\": 1, \"batchSize\": 1, \"validationSplit\": 0, \"keepBestOf\": 3, \"patience\": 0}",
            "{\"epochs\": 1, \"epochs\": 2, \"batchSize\": 1, \"validationSplit\": 0, \"keepBestOf\": null, \"patience\": 0}"
        }) {
            assertThrows(IllegalArgumentException.class, () -> Handover.settingsFromJson(bad), bad);
        }
    }

    @Test
    void theCellIsTheTemplateFilledIn() {
        String template = Handover.template();
        assertEquals(
                "\"\".getClass().forName(\"org.rnnlab.grade.Handover\").getMethod(\"put\", \"\".getClass(), \"\".getClass(), "
                        + "\"\".getClass().getSuperclass()).invoke(null, \"{dir}\", \"{name}\", {name});",
                template);
        assertEquals(template.replace("{dir}", "/tmp/h").replace("{name}", "model"), Handover.call("/tmp/h", "model"));
        assertEquals(
                "\"\".getClass().forName(\"org.rnnlab.grade.Handover\").getMethod(\"put\", \"\".getClass(), \"\".getClass(), "
                        + "\"\".getClass().getSuperclass()).invoke(null, \"C:\\\\a \\\"b\\\"\\n{name}\", \"model\", model);",
                Handover.call("C:\\a \"b\"\n{name}", "model"));
        assertTrue(Exercises.plansJson(org.rnnlab.Mode.QUICK).contains("\"handover\": " + StepResult.quote(template)));
    }

    /**
     * The hand-over cell in a JShell session where the learner declared names that would capture a plain
     * call ({@code org}, {@code Handover}, {@code Object}, {@code Class}, {@code String}): it still reaches
     * this library's {@code Handover.put} and writes the files.
     */
    @Test
    void theCellWorksWhateverTheLearnerDeclared() throws Exception {
        Path folder = dir.resolve("hand over \"here\"");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream shellOut = new PrintStream(console, true, StandardCharsets.UTF_8);
        try (JShell shell = JShell.builder()
                .executionEngine("local")
                .out(shellOut)
                .err(shellOut)
                .build()) {
            for (String entry : classPath()) {
                shell.addToClasspath(entry);
            }
            eval(shell, "import org.rnnlab.text.Tokenizer;");
            eval(
                    shell,
                    "Tokenizer tokenizer = new Tokenizer(10, null).fitOnTexts(java.util.List.of(\"a b\", \"b c\"));");
            eval(shell, "Tokenizer model = null;");
            eval(shell, "int trainer = 3;");
            eval(shell, "String org = \"x\";");
            eval(
                    shell,
                    "class Handover { static void put(java.lang.String a, java.lang.String b, java.lang.Object c) {} }");
            eval(shell, "class Object {}");
            eval(shell, "class Class {}");
            eval(shell, "class String {}");
            for (String name : List.of("tokenizer", "model", "trainer")) {
                eval(shell, Handover.call(folder.toString(), name));
            }
        }
        assertEquals(
                List.of("model.null", "tokenizer.tokenizer.json", "trainer.other"),
                Files.list(folder).map(p -> p.getFileName().toString()).sorted().toList(),
                console.toString(StandardCharsets.UTF_8));
        Tokenizer back = Tokenizer.fromJson(Files.readString(folder.resolve("tokenizer.tokenizer.json")));
        assertArrayEquals(new int[] {1, 2}, back.textToSequence("b a"));
        assertEquals("java.lang.Integer", Files.readString(folder.resolve("trainer.other")));
        assertNull(TrustedGrade.load(folder, "model").value());
        assertFalse(console.toString(StandardCharsets.UTF_8).contains("Exception"));
    }

    private static void eval(JShell shell, String code) {
        List<SnippetEvent> events = shell.eval(code);
        assertFalse(events.isEmpty(), code);
        for (SnippetEvent e : events) {
            assertEquals(null, e.exception(), code + " threw " + e.exception());
            if (e.causeSnippet() == null) {
                assertTrue(
                        e.status() == Snippet.Status.VALID,
                        code + ": " + e.status() + " "
                                + shell.diagnostics(e.snippet())
                                        .map(d -> d.getMessage(null))
                                        .toList());
            }
        }
    }

    /** This JVM's class path, with the folders and jars of the library and its dependencies spelled out. */
    private static Set<String> classPath() throws Exception {
        Set<String> entries = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isBlank()) {
                entries.add(e);
            }
        }
        for (Class<?> c : List.of(
                Handover.class,
                MultiLayerNetwork.class,
                org.nd4j.linalg.factory.Nd4j.class,
                org.nd4j.shade.jackson.databind.ObjectMapper.class)) {
            entries.add(Path.of(c.getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString());
        }
        return entries;
    }
}
