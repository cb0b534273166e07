package dev.cxr.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.phantoms.DemoData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bench-epoch}: a second run on the same --cache decodes nothing. */
class BenchEpochCommandTest {
  @TempDir Path tmp;

  private static String run(String... args) {
    PrintStream before = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertThat(new CommandLine(new BenchEpochCommand()).execute(args)).isZero();
    } finally {
      System.setOut(before);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void secondRunOnTheSameCacheDecodesNothing() throws Exception {
    Path data = tmp.resolve("data");
    DemoData.builder().images(20).size(32).seed(6).build().writeTo(data);
    String[] args = {
      "--data",
      data.toString(),
      "--size",
      "32",
      "--cache",
      tmp.resolve("c").toString(),
      "--epochs",
      "2"
    };
    String first = run(args);
    assertThat(first)
        .contains("epoch 1: ")
        .contains("decoded: 20, cache hit rate: 0.0% (includes building the cache file)")
        .contains("epoch 2: ")
        .contains("decoded: 0, cache hit rate: 100.0%")
        .containsPattern("peak RSS: \\d+ MiB")
        .containsPattern("peak heap: \\d+ MiB")
        .containsPattern("cache: [0-9.]+ MiB on disk");
    String second = run(args);
    assertThat(second).doesNotContain("decoded: 20").contains("(reused)");
    assertThat(second.lines().filter(l -> l.matches("epoch \\d+: [0-9.]+ img/s.*")))
        .hasSize(2)
        .allMatch(l -> l.contains("decoded: 0, cache hit rate: 100.0%"));
  }
}
