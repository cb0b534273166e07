package dev.cxr.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ModelSummaryCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = CxrCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "model-summary";
    System.arraycopy(args, 0, all, 1, args.length);
    return cl.execute(all);
  }

  private List<String> lines() {
    return out.toString().lines().toList();
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "depth {0}")
  @org.junit.jupiter.params.provider.CsvSource({
    "18, 11171266, 11169474",
    "34, 21279426, 21277634",
    "50, 23505858, 23498178",
    "101, 42497986, 42490306",
    "152, 58141634, 58133954"
  })
  void printsTheTrainableCountsOfTheIssueTable(int depth, long original, long preActivation) {
    assertThat(run("--depth", Integer.toString(depth))).isZero();
    assertThat(lines()).contains("trainable parameters: " + original);
    out.getBuffer().setLength(0);
    assertThat(run("--depth", Integer.toString(depth), "--pre-activation")).isZero();
    assertThat(lines()).contains("trainable parameters: " + preActivation);
  }

  @Test
  void resNet18EndsWithParseableTotals() {
    int code = run("--depth", "18");

    assertThat(code).isZero();
    List<String> lines = lines();
    assertThat(lines.get(0)).startsWith("ResNet-18 (original), input 1x224x224");
    assertThat(lines.subList(lines.size() - 3, lines.size()))
        .containsExactly(
            "trainable parameters: 11171266",
            // + running mean and variance of 4,800 BN channels
            "total parameters: 11180866",
            // torchvision resnet18 (3 channels, 1000 classes): 1,814,073,344 (published as 1.81 G),
            // less 112*112*64*49*2 for two stem input channels and 512*998 for the smaller head
            "forward multiply-adds: 1734886400");
    assertThat(out.toString()).containsPattern("(?m)^stem_pool +SubsamplingLayer +64x56x56 +0$");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void preActivationResNet50() {
    int code = run("--depth", "50", "--pre-activation", "--size", "64");

    assertThat(code).isZero();
    assertThat(lines()).contains("trainable parameters: 23498178");
    assertThat(lines().get(0)).startsWith("ResNet-50 (pre-activation)");
  }

  @Test
  void widthChannelsAndClassesReachTheNetwork() {
    int code =
        run("--depth", "18", "--width", "8", "--size", "32", "--channels", "3", "--classes", "5");

    assertThat(code).isZero();
    assertThat(out.toString())
        .containsPattern("(?m)^input +Input +3x32x32 +0$")
        .containsPattern("(?m)^stem_conv +DirectConvolution +8x16x16 +1176$") // 7*7*3*8
        .containsPattern("(?m)^output +OutputLayer +5 +325$"); // 64*5 + 5
  }

  @Test
  void unsupportedDepthIsOneErrorLine() {
    int code = run("--depth", "20");

    assertThat(code).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString().lines().toList())
        .containsExactly("error: depth must be one of [18, 34, 50, 101, 152] but was 20");
  }

  @Test
  void tooSmallImageIsOneErrorLine() {
    int code = run("--depth", "18", "--size", "16");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().lines().toList())
        .containsExactly("error: inputHeight must be in [32, 4096] pixels but was 16");
  }
}
