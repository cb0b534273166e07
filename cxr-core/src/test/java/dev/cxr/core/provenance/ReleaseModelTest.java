package dev.cxr.core.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cxr.core.CxrModel;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.evaluation.Evaluation;
import dev.cxr.phantoms.DemoData;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A binary model file written by cxr 0.1.0 (main at ca37997, before the task model held several
 * findings) still loads as the one-finding task it was and scores exactly as 0.1.0 did. The file,
 * {@code models/binary-0.1.0.zip}, was made with 0.1.0's command line: {@code make-demo-data --out
 * demo --n 40 --seed 3 --size 64}, then {@code train --data demo --size 32 --width 4 --epochs 1
 * --batch 8 --augment none --patience 0}; the expected probabilities are 0.1.0's {@code evaluate}
 * output on that data (6 decimals, as its predictions.csv writes them).
 */
class ReleaseModelTest {
  @Test
  void aBinaryModelOfRelease010LoadsAndScoresAsItDidThen(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("binary-0.1.0.zip");
    try (InputStream in = getClass().getResourceAsStream("/models/binary-0.1.0.zip")) {
      Files.copy(in, file);
    }
    Path data = dir.resolve("demo");
    DemoData.builder().images(40).seed(3).size(64).build().writeTo(data);

    CxrModel model = CxrModel.load(file);
    assertThat(model.info().task()).isEqualTo(CxrTask.EFFUSION);
    assertThat(model.info().config().findings()).isEmpty();
    assertThat(model.info().validation().findings()).isEmpty();
    assertThat(model.info().validation().threshold()).isCloseTo(0.6167, within(5e-5));

    List<Map<String, Double>> p =
        model.predict(
            List.of(
                data.resolve("images/00000001_000.png"),
                data.resolve("images/00000002_000.png"),
                data.resolve("images/00000003_000.png"),
                data.resolve("images/00000004_000.png")));
    double[] expected = {0.616102, 0.647523, 0.613260, 0.653620};
    for (int i = 0; i < expected.length; i++) {
      assertThat(p.get(i)).containsOnlyKeys("No Finding", "Effusion");
      assertThat(p.get(i).get("Effusion")).isCloseTo(expected[i], within(1e-6));
    }
    Evaluation ev = model.evaluate(data);
    assertThat(ev.metrics().auc()).isCloseTo(0.31, within(1e-9));
    assertThat(ev.findings()).hasSize(1);
  }
}
