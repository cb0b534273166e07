package dev.cxr.core.localize;

import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.data.NihLabels;
import dev.cxr.core.data.Sample;
import dev.cxr.core.evaluation.Scorer;
import dev.cxr.core.explain.Explainer;
import dev.cxr.core.explain.Explanation;
import dev.cxr.core.explain.HeatMap;
import dev.cxr.core.image.ImageInfo;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.localize.LocalizationMetrics.Proportion;
import dev.cxr.core.provenance.ModelInfo;
import dev.cxr.core.provenance.TrainingSplit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Measures where a model's Grad-CAM maps point on images with radiologists' boxes, as Wang et al.
 * 2017 (ChestX-ray8, CVPR) and Zhang et al. 2016 (the pointing game) define it, beside random maps
 * on the same boxes.
 *
 * <p>For each finding the model predicts and the box file has boxes for, and each image of the data
 * with such boxes: the map of that finding ({@link Explainer}, the one path to a model's maps: a
 * fold ensemble's map is the mean of its members'), at the image's own size; its maximum (the
 * pointing game: inside a true box?); its boxes ({@link MapBoxes}: the 8-connected regions at or
 * above a fraction of the maximum); whether one of them overlaps a true box with an intersection
 * over the detected box (IoBB) above T (localisation accuracy), and how many overlap none (false
 * positives). The random baseline draws a smooth random map per image at the Grad-CAM's own
 * resolution ({@link RandomMaps}, seeded) and measures it the same way.
 */
public final class Localizer {
  private Localizer() {}

  /**
   * Measures a model.
   *
   * @param network the model's network
   * @param info the model's metadata
   * @param request what to measure
   * @return per finding, the measures; no finding (and the reasons in {@link
   *     Localization#notMeasured()}) when no image of the data has a box for a finding the model
   *     predicts
   * @throws CxrDataException naming the box file, labels or an image that cannot be read
   */
  public static Localization localize(
      ComputationGraph network, ModelInfo info, LocalizationRequest request) {
    Objects.requireNonNull(request, "request");
    Path boxFile = request.boxFile();
    BoundingBoxes boxes = BoundingBoxes.read(boxFile);
    CxrTask task = info.task();
    CxrDataset ds =
        CxrDataset.scan(
            request.data(),
            request.labels() != null ? request.labels() : info.config().labels(),
            false,
            new DataReport());
    List<Sample> all = task.labelBothClasses(ds).samples();
    List<Sample> samples =
        request.validationSplitOnly() ? TrainingSplit.validation(info, ds, all) : all;
    List<String> wanted = new ArrayList<>();
    for (String f : request.findings()) {
      String c =
          NihLabels.canonical(f)
              .orElseThrow(
                  () -> new IllegalArgumentException("findings: unknown finding '" + f + "'"));
      if (!task.findings().contains(c)) {
        throw new IllegalArgumentException(
            "findings: the model predicts " + task.findings() + ", not '" + f + "'");
      }
      wanted.add(c);
    }
    List<String> notMeasured = new ArrayList<>();
    List<FindingLocalization> out = new ArrayList<>();
    Explainer explainer = new Explainer(network, info, Scorer.forModel(network, info));
    for (String finding : task.findings()) {
      if (!wanted.isEmpty() && !wanted.contains(finding)) {
        continue;
      }
      if (!boxes.findings().contains(finding)) {
        notMeasured.add(finding + ": the box file has no box for it");
        continue;
      }
      List<Path> images = new ArrayList<>();
      for (Sample s : samples) {
        if (!boxes.forImage(name(s.path()), finding).isEmpty()) {
          images.add(s.path());
        }
      }
      if (images.isEmpty()) {
        notMeasured.add(
            finding
                + ": none of the "
                + samples.size()
                + " images measured has a box for it"
                + (request.validationSplitOnly() ? " (validation part)" : ""));
        continue;
      }
      out.add(measure(finding, images, boxes, explainer, request, out.size()));
    }
    return new Localization(out, request.mapThreshold(), request.seed(), boxFile, notMeasured);
  }

  private static FindingLocalization measure(
      String finding,
      List<Path> images,
      BoundingBoxes boxes,
      Explainer explainer,
      LocalizationRequest request,
      int findingIndex) {
    List<Double> ts = LocalizationRequest.IOBB_THRESHOLDS;
    List<Explanation> explanations = explainer.explain(images, finding);
    List<ImageLocalization> measured = new ArrayList<>();
    int hits = 0;
    int randomHits = 0;
    int[] localized = new int[ts.size()];
    int[] randomLocalized = new int[ts.size()];
    double[] fp = new double[ts.size()];
    double[] randomFp = new double[ts.size()];
    int boxCount = 0;
    for (int i = 0; i < explanations.size(); i++) {
      Explanation e = explanations.get(i);
      ImageInfo size = ImageInfo.of(e.image());
      int w = size.width();
      int h = size.height();
      List<Box> truth = new ArrayList<>();
      boxes.forImage(name(e.image()), finding, w, h).forEach(b -> truth.add(b.box()));
      boxCount += truth.size();
      // the map at the image's own size, as Explanation.heatMapAtOriginalSize gives it, without
      // decoding the image a second time for its size
      ImageLocalization m = measureMap(e, finding, e.heatMap().resized(w, h), truth, request);
      measured.add(m);
      hits += m.pointingHit() ? 1 : 0;
      // the random map: the Grad-CAM's own resolution, upsampled as the real map is
      long seed = RandomMaps.seed(request.seed() + findingIndex, name(e.image()));
      HeatMap coarse = e.coarse();
      HeatMap random =
          new HeatMap(
                  coarse.width(),
                  coarse.height(),
                  RandomMaps.map(coarse.width(), coarse.height(), seed))
              .resized(e.heatMap().width(), e.heatMap().height())
              .resized(w, h);
      ImageLocalization r = measureMap(e, finding, random, truth, request);
      randomHits += r.pointingHit() ? 1 : 0;
      for (int t = 0; t < ts.size(); t++) {
        localized[t] += m.localized().get(t) ? 1 : 0;
        randomLocalized[t] += r.localized().get(t) ? 1 : 0;
        fp[t] += m.falsePositives().get(t);
        randomFp[t] += r.falsePositives().get(t);
      }
    }
    int n = measured.size();
    List<Proportion> acc = new ArrayList<>();
    List<Proportion> racc = new ArrayList<>();
    List<Double> afp = new ArrayList<>();
    List<Double> rafp = new ArrayList<>();
    for (int t = 0; t < ts.size(); t++) {
      acc.add(new Proportion(localized[t], n));
      racc.add(new Proportion(randomLocalized[t], n));
      afp.add(fp[t] / n);
      rafp.add(randomFp[t] / n);
    }
    return new FindingLocalization(
        finding,
        boxCount,
        new Proportion(hits, n),
        new Proportion(randomHits, n),
        acc,
        racc,
        afp,
        rafp,
        measured);
  }

  /** One map against the true boxes: its peak, its boxes and their overlaps. */
  static ImageLocalization measureMap(
      Explanation e, String finding, HeatMap map, List<Box> truth, LocalizationRequest request) {
    float[] values = map.values();
    // HeatMap.peak: the centre of the warmest plateau (an upsampled coarse map has flat tops)
    int[] peak = map.peak();
    List<Box> detected = MapBoxes.detect(values, map.width(), map.height(), request.mapThreshold());
    List<Boolean> localized = new ArrayList<>();
    List<Integer> falsePositives = new ArrayList<>();
    for (double t : LocalizationRequest.IOBB_THRESHOLDS) {
      localized.add(LocalizationMetrics.localized(detected, truth, t));
      falsePositives.add(LocalizationMetrics.falsePositives(detected, truth, t));
    }
    boolean hit = map.max() > 0 && LocalizationMetrics.pointingHit(peak[0], peak[1], truth);
    return new ImageLocalization(
        e, finding, truth, detected, peak[0], peak[1], hit, localized, falsePositives);
  }

  private static String name(Path p) {
    return p.getFileName().toString();
  }
}
