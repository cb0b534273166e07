package dev.cxr.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.resnet.compat.OneDnnHelpers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchModelCommandTest {
  private static final Pattern RATE = Pattern.compile("(?m)^(train|infer): (\\d+\\.\\d+) img/s$");

  @AfterEach
  void helpersBackOn() {
    OneDnnHelpers.setEnabled(true);
  }

  @Test
  void printsPositiveTrainAndInferenceRates() {
    String out =
        run(
            "--depth",
            "18",
            "--size",
            "32",
            "--batch",
            "2",
            "--width",
            "4",
            "--warmup",
            "1",
            "--steps",
            "1");

    assertThat(out).contains("ResNet-18, width 4, 32x32 px, batch 2");
    Matcher m = RATE.matcher(out);
    int found = 0;
    while (m.find()) {
      assertThat(Double.parseDouble(m.group(2))).as(m.group(1)).isPositive();
      found++;
    }
    assertThat(found).as("train and infer lines in:%n%s", out).isEqualTo(2);
  }

  @Test
  void noHelpersBuildsOnTheBuiltInPath() {
    String out =
        run(
            "--size",
            "32",
            "--batch",
            "2",
            "--width",
            "4",
            "--warmup",
            "0",
            "--steps",
            "1",
            "--no-helpers",
            "--pre-activation");

    assertThat(out)
        .contains("ResNet-18 (pre-activation)")
        .contains("oneDNN layer helpers: off (switched off by OneDnnHelpers.setEnabled(false))");
    assertThat(OneDnnHelpers.isActive()).isFalse();
  }

  @Test
  void rejectsBadCountsNamingTheOption() {
    BenchModelCommand command = new BenchModelCommand();
    new CommandLine(command).parseArgs("--steps", "0");

    assertThatThrownBy(command::call)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--steps must be >= 1 but was 0");
  }

  @Test
  void compareMeasuresBothBatchNormsInAlternationAndPrintsTheRatio() {
    String out =
        run(
            "--size",
            "32",
            "--batch",
            "2",
            "--width",
            "4",
            "--warmup",
            "0",
            "--steps",
            "1",
            "--batch-norm",
            "compare",
            "--rounds",
            "2");

    assertThat(out)
        .contains("round 1, batch norm FUSED: train ")
        .contains("round 1, batch norm DL4J: train ")
        .contains("round 2, batch norm DL4J: train ");
    Matcher medians =
        Pattern.compile("(?m)^batch norm (FUSED|DL4J): train: (\\d+\\.\\d+) img/s, infer: ")
            .matcher(out);
    int found = 0;
    while (medians.find()) {
      assertThat(Double.parseDouble(medians.group(2))).as(medians.group(1)).isPositive();
      found++;
    }
    assertThat(found).as("median lines in:%n%s", out).isEqualTo(2);
    assertThat(out).containsPattern("(?m)^ratio fused/dl4j: train \\d+\\.\\d{3}, infer ");
  }

  @Test
  void rejectsAnUnknownBatchNorm() {
    BenchModelCommand command = new BenchModelCommand();
    new CommandLine(command).parseArgs("--batch-norm", "torch");

    assertThatThrownBy(command::call)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--batch-norm must be fused, dl4j or compare but was 'torch'");
  }

  private static String run(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      int exit = new CommandLine(new BenchModelCommand()).execute(args);
      assertThat(exit).as("exit code").isZero();
    } finally {
      System.setOut(original);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
