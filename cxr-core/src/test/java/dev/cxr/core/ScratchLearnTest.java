package dev.cxr.core;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.config.Schedule;
import dev.cxr.core.demo.DemoData;
import dev.cxr.core.training.TrainingListener;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchLearnTest {
  @TempDir Path dir;

  @Test
  void scan() throws Exception {
    Path data = dir.resolve("p");
    DemoData.builder().images(400).seed(21).size(128).build().writeTo(data);
    for (long seed = 1; seed <= 2; seed++) {
      for (double lr : new double[] {2e-3}) {
        long t0 = System.nanoTime();
        var m = CxrPipeline.builder().width(16).imageSize(128).batchSize(16).epochs(10).patience(0)
            .adam(lr).schedule(Schedule.COSINE).augmentation(CxrAugmentation.none()).seed(seed)
            .workers(2).listener(new TrainingListener() {}).fit(data);
        System.out.printf("SCAN seed %d lr %g auc %.3f hist %s time %.1f%n", seed, lr,
            m.info().validation().auc(),
            m.info().history().stream().map(h -> String.format("%.2f", h.auc())).toList(),
            (System.nanoTime() - t0) / 1e9);
      }
    }
  }
}
