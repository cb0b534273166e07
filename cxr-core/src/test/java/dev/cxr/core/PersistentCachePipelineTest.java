package dev.cxr.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.core.evaluation.EvaluationRequest;
import dev.cxr.core.evaluation.Evaluator;
import dev.cxr.core.training.TrainingListener;
import dev.cxr.phantoms.DemoData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A persistent pixel cache across runs: the first fit builds the file, a second fit, the folds of a
 * cross-validation and an evaluation of the same data read it and decode nothing, and the trained
 * models are the same as without the cache.
 */
class PersistentCachePipelineTest {
  @TempDir Path dir;

  private static final class Messages implements TrainingListener {
    final List<String> lines = new ArrayList<>();

    @Override
    public void onMessage(String message) {
      lines.add(message);
    }

    String cacheLine() {
      return lines.stream()
          .filter(l -> l.startsWith("pixel cache: "))
          .reduce((a, b) -> b)
          .orElseThrow();
    }
  }

  @Test
  void laterRunsFoldsAndEvaluationDecodeNothing() throws Exception {
    Path data = dir.resolve("data");
    DemoData.builder().images(24).seed(4).size(48).build().writeTo(data);
    Path cache = dir.resolve("cache");
    Messages first = new Messages();
    CxrModel a = PipelineTest.tiny().epochs(1).listener(first).cache(cache).fit(data);
    assertThat(first.cacheLine()).contains("(built in").contains("24 decoded");
    assertThat(first.lines).anyMatch(l -> l.startsWith("first batch after "));
    try (var files = Files.list(cache)) {
      assertThat(files.filter(f -> f.toString().endsWith(".cxrpx")).count()).isEqualTo(1);
    }

    Messages second = new Messages();
    CxrModel b = PipelineTest.tiny().epochs(1).listener(second).cache(cache).fit(data);
    assertThat(second.cacheLine())
        .contains("(reused)")
        .contains("hit rate 100.0%")
        .contains(" 0 decoded");
    // where the pixels come from does not change what is trained
    assertThat(b.network().params()).isEqualTo(a.network().params());
    CxrModel plain = PipelineTest.tiny().epochs(1).fit(data);
    assertThat(plain.network().params()).isEqualTo(a.network().params());

    Messages folds = new Messages();
    PipelineTest.tiny().epochs(1).listener(folds).cache(cache).build().crossValidate(data, 2);
    assertThat(folds.lines.stream().filter(l -> l.startsWith("pixel cache: ")))
        .hasSize(2)
        .allMatch(l -> l.contains("(reused)") && l.contains(" 0 decoded"));

    var ev =
        Evaluator.evaluate(
            a.network(),
            a.info(),
            EvaluationRequest.of(data).validationSplitOnly(true).workers(2).cache(cache));
    assertThat(ev.metrics().size()).isEqualTo(a.info().validationImages());
    try (var files = Files.list(cache)) {
      assertThat(files.filter(f -> f.toString().endsWith(".cxrpx")).count()).isEqualTo(1);
    }
  }
}
