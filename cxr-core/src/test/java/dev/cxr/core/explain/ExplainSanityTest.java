package dev.cxr.core.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.CxrModel;
import dev.cxr.core.CxrPipeline;
import dev.cxr.core.config.Schedule;
import dev.cxr.core.training.TrainingListener;
import dev.cxr.phantoms.DemoData;
import dev.cxr.phantoms.LesionMask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sanity checks of the Grad-CAM maps (J. Adebayo, J. Gilmer, M. Muelly, I. Goodfellow, M. Hardt, B.
 * Kim, "Sanity Checks for Saliency Maps", NeurIPS 2018), on one tiny ResNet-18 trained once for the
 * class on 64 px phantoms, whose generator knows where each effusion lies.
 *
 * <ul>
 *   <li>Model randomisation: the maps of the trained network and of the same network with
 *       re-initialised weights must differ (mean Spearman rank correlation over the positives below
 *       a bound). A method that only echoed the image (an edge detector) would fail.
 *   <li>Pointing game (J. Zhang et al., "Top-down Neural Attention by Excitation Backprop", ECCV
 *       2016), at the resolution Grad-CAM has: for the correctly detected positives, the cell where
 *       the map peaks (2x2 cells at 64 px, each 32 px square) must be the cell that holds most of
 *       the effusion. Chance is the share of cells tied for the most lesion pixels (printed); the
 *       bound lies between chance and the measured rate. A map that ignored the image, or pointed
 *       at the apices, would fail.
 * </ul>
 */
class ExplainSanityTest {
  /**
   * Pointing game, measured (seed 2, 160 phantoms of 64 px, 5 epochs, validation AUC 0.729, 79 of
   * 80 positives detected): the cell where the map peaks is the cell holding most of the effusion
   * for 0.443 of them, against 0.253 by chance (the share of cells tied for most lesion). The
   * looser "peak cell touches the effusion" reached 0.557 against 0.459 by chance, and the map's
   * heavier half was the effusion's side for 0.522 of 67 one-sided effusions (chance 0.5): this
   * small model finds the lung bases, not the side.
   */
  static final double POINTING_BOUND = 0.35;

  /**
   * Model randomisation, measured: mean Spearman correlation -0.139 over 80 positives (-0.338 over
   * the 33 whose re-initialised map is not 0 everywhere), largest 0.673.
   */
  static final double RANDOM_BOUND = 0.3;

  @TempDir static Path shared;
  static Path data;
  static DemoData demo;
  static CxrModel model;

  @BeforeAll
  static void train() throws IOException {
    data = shared.resolve("phantoms");
    demo = DemoData.builder().images(160).seed(21).size(64).build();
    demo.writeTo(data);
    model =
        CxrPipeline.builder()
            .width(8)
            .imageSize(64)
            .batchSize(16)
            .epochs(5)
            .schedule(Schedule.COSINE)
            .patience(0)
            .augmentation(CxrAugmentation.none())
            .adam(2e-3)
            .seed(2)
            .workers(2)
            .listener(new TrainingListener() {})
            .fit(data);
  }

  private static List<Path> positives(Map<String, LesionMask> masks) {
    List<Path> files = new ArrayList<>();
    for (String f : masks.keySet()) {
      files.add(data.resolve(DemoData.IMAGE_DIRECTORY).resolve(f));
    }
    return files;
  }

  @Test
  void theMapPointsAtTheEffusion() {
    Map<String, LesionMask> masks = demo.effusionMasks();
    List<Path> files = positives(masks);
    List<Explanation> ex = model.explain(files);
    int detected = 0;
    int hits = 0;
    double chance = 0;
    int majority = 0;
    double majorityChance = 0;
    int sided = 0;
    int sideHits = 0;
    for (int i = 0; i < files.size(); i++) {
      Explanation e = ex.get(i);
      LesionMask mask = masks.get(files.get(i).getFileName().toString());
      if (!e.positive()) {
        continue;
      }
      detected++;
      HeatMap cells = e.coarse();
      int[] peak = cells.peak();
      int[] area = new int[cells.width() * cells.height()];
      int most = 0;
      int touching = 0;
      for (int cy = 0; cy < cells.height(); cy++) {
        for (int cx = 0; cx < cells.width(); cx++) {
          int a = lesionPixels(mask, cells, cx, cy);
          area[cy * cells.width() + cx] = a;
          most = Math.max(most, a);
          touching += a > 0 ? 1 : 0;
        }
      }
      int atPeak = area[peak[1] * cells.width() + peak[0]];
      hits += atPeak > 0 ? 1 : 0;
      chance += touching / (double) area.length;
      int tied = 0;
      for (int a : area) {
        tied += a == most ? 1 : 0;
      }
      majority += atPeak == most ? 1 : 0;
      majorityChance += tied / (double) area.length;
      // laterality: the half of the image with more lesion against the half with more map
      double lesionLeft = 0;
      double lesionRight = 0;
      double mapLeft = 0;
      double mapRight = 0;
      HeatMap map = e.heatMap();
      for (int y = 0; y < mask.size(); y++) {
        for (int x = 0; x < mask.size(); x++) {
          boolean left = x < mask.size() / 2;
          double l = mask.contains(x, y) ? 1 : 0;
          double m = map.at(x, y);
          if (left) {
            lesionLeft += l;
            mapLeft += m;
          } else {
            lesionRight += l;
            mapRight += m;
          }
        }
      }
      double total = lesionLeft + lesionRight;
      if (Math.max(lesionLeft, lesionRight) > 0.8 * total && mapLeft != mapRight) {
        sided++; // an effusion on one side only
        sideHits += (lesionLeft > lesionRight) == (mapLeft > mapRight) ? 1 : 0;
      }
    }
    double rate = hits / (double) detected;
    double majorityRate = majority / (double) detected;
    double sideRate = sideHits / (double) sided;
    String summary =
        String.format(
            Locale.ROOT,
            "validation AUC %.3f; %d of %d positives detected; peak cell touches the effusion"
                + " %.3f (chance %.3f); peak cell holds most of it %.3f (chance %.3f); map on the"
                + " effusion's side %.3f of %d one-sided (chance 0.5)",
            model.info().validation().auc(),
            detected,
            files.size(),
            rate,
            chance / detected,
            majorityRate,
            majorityChance / detected,
            sideRate,
            sided);
    System.out.println(summary);
    assertThat(detected).as("detected positives").isGreaterThan(files.size() / 2);
    assertThat(majorityRate).as(summary).isGreaterThan(POINTING_BOUND);
  }

  /** Lesion pixels in cell (cx, cy) of a map over the mask's square. */
  static int lesionPixels(LesionMask mask, HeatMap cells, int cx, int cy) {
    int s = mask.size();
    int n = 0;
    for (int y = cy * s / cells.height(); y < (cy + 1) * s / cells.height(); y++) {
      for (int x = cx * s / cells.width(); x < (cx + 1) * s / cells.width(); x++) {
        n += mask.contains(x, y) ? 1 : 0;
      }
    }
    return n;
  }

  @Test
  void mapsOfReinitialisedWeightsDiffer() {
    List<Path> files = positives(demo.effusionMasks());
    List<Explanation> trained = model.explain(files);
    ComputationGraph fresh = new ComputationGraph(model.network().getConfiguration().clone());
    fresh.init();
    List<Explanation> random = new CxrModel(fresh, model.info()).explain(files);
    double sum = 0;
    int flat = 0;
    double max = -1;
    for (int i = 0; i < files.size(); i++) {
      double r =
          Ranks.spearman(trained.get(i).heatMap().values(), random.get(i).heatMap().values());
      if (Double.isNaN(r)) {
        flat++; // a map that is 0 everywhere ranks nothing: no association
        r = 0;
      }
      sum += r;
      max = Math.max(max, r);
    }
    double mean = sum / files.size();
    double structured = (sum) / Math.max(1, files.size() - flat);
    String summary =
        String.format(
            Locale.ROOT,
            "Spearman trained vs re-initialised over %d positives: mean %.3f (%.3f over the"
                + " %d non-flat), max %.3f, %d flat",
            files.size(),
            mean,
            structured,
            files.size() - flat,
            max,
            flat);
    System.out.println(summary);
    assertThat(mean).as(summary).isLessThan(RANDOM_BOUND);
  }
}
