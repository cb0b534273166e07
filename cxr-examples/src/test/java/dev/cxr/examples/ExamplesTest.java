package dev.cxr.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.phantoms.DemoData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every bundled example's {@code main} as a user does, each in its own JVM (so the backend's
 * log level is the example's own, not the test run's), on a tiny phantom set with {@code --size 32
 * --width 4 --epochs 1}, and checks what it prints.
 */
class ExamplesTest {
  @TempDir static Path shared;
  static Path data;

  /** Exit code and output of one run. */
  record Run(int code, String out, String err) {
    String all() {
      return out + err;
    }
  }

  @BeforeAll
  static void phantoms() throws Exception {
    data = shared.resolve("data");
    DemoData.builder().images(40).seed(7).size(32).build().writeTo(data);
  }

  static Run java(String example, String... args) throws Exception {
    Path tmp = Files.createTempDirectory(shared, "run-");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-Djava.io.tmpdir=" + tmp); // phantoms an example makes land in the test's folder
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.cxr.examples." + example);
    cmd.addAll(List.of(args));
    Path out = tmp.resolve("stdout.txt");
    Path err = tmp.resolve("stderr.txt");
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(example + " ran longer than 180 s: " + Files.readString(out));
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  static final String[] SMALL = {"--size", "32", "--width", "4", "--epochs", "1"};

  static String[] small(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(SMALL));
    return all.toArray(String[]::new);
  }

  @Test
  void quickStartTrainsOnADirectoryAndPredicts() throws Exception {
    Path model = shared.resolve("quick/model.zip");
    Run r = java("QuickStart", small(data.toString(), "--model", model.toString()));
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out())
        .contains("cxr training", "  image size         32 px", "saved " + model)
        .containsPattern("(?m)^validation AUC: \\d\\.\\d{6} \\(95% CI ")
        .containsPattern("(?m)^\\S+\\.png -> \\{.*Effusion=");
    assertThat(r.all()).as("the backend's INFO log is off").doesNotContain(" INFO ");
    assertThat(model).isRegularFile();
  }

  @Test
  void quickStartWithoutADirectoryTrainsOnPhantoms() throws Exception {
    Path model = shared.resolve("quick-phantoms/model.zip");
    Run r = java("QuickStart", small("--model", model.toString()));
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out())
        .contains("cxr training", "  network            ResNet-18 original, width 4")
        .contains("(" + QuickStart.PHANTOM_IMAGES + " images")
        .containsPattern("(?m)^validation AUC: ")
        .containsPattern("(?m)cxr-quickstart-\\S+\\.png -> \\{");
    assertThat(r.all()).doesNotContain(" INFO ");
    assertThat(model).isRegularFile();
  }

  @Test
  void seedArticleReplicationPrintsWhatItMatchesAndWhatNot() throws Exception {
    Path out = shared.resolve("article");
    Run r = java("SeedArticleReplication", small(data.toString(), out.toString()));
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out())
        .startsWith("seed article replication: \"Detecting anomalies in X-ray using CNN\"")
        .contains(
            "  as in the article:",
            "    loss               cost-matrix cross-entropy [[1.0, 5.0], [5.0, 1.0]]",
            "    weight averaging   none",
            "    epoch chosen on    validation",
            "  changed from the article on the command line:",
            "    network            ResNet-18 pre-activation, width 4"
                + " (the article: ResNet-18 pre-activation, width 64)",
            "    image size         32 px (the article: 256 px)",
            "    epochs             1 (the article: 10)",
            "  not as in the article:",
            "the article: best validation AUC 0.7344")
        .containsPattern("(?m)^best validation AUC: \\d\\.\\d{6} \\(95% CI .*\\) at epoch 1$")
        .doesNotContain("exponential moving average");
    assertThat(r.all()).doesNotContain(" INFO ");
    assertThat(out.resolve("article-model.zip")).isRegularFile();
  }

  @Test
  void composeModulesTrainsInPlainDl4jAndVerboseShowsTheBackendLog() throws Exception {
    Run r = java("ComposeModules", small(data.toString(), "--verbose"));
    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.out()).containsPattern("(?m)^epoch 1: validation AUC \\d\\.\\d{4}$");
    assertThat(r.err()).contains(" INFO org.nd4j.linalg.factory.Nd4jBackend - Loaded");
  }

  @Test
  void badArgumentsPrintTheUsageAndExitWithTwo() throws Exception {
    Run r = java("SeedArticleReplication", "--size", "big");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("error: --size must be a positive integer but was big")
        .contains("usage: SeedArticleReplication DATA_DIR [OUT_DIR]");
  }
}
