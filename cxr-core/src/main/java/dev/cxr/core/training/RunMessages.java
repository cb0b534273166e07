package dev.cxr.core.training;

import dev.cxr.core.config.LossSpec;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.data.PatientSplit;
import dev.cxr.core.data.Sample;
import dev.cxr.resnet.compat.OneDnnHelpers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The lines a training run prints about itself: its data facts and the divergence line. */
final class RunMessages {
  private RunMessages() {}

  /**
   * The facts {@link TrainingListener#onStart} shows: data, parts, selection split, native path.
   */
  static Map<String, String> facts(
      TrainingData data,
      PatientSplit split,
      PatientSplit inner,
      List<String> names,
      PipelineConfig config,
      List<Sample> fit) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put(
        "data",
        data.dataset().roots().stream().map(Object::toString).collect(Collectors.joining(", "))
            + " ("
            + data.labeled().samples().size()
            + " images, "
            + data.labeled().patients()
            + " patients)");
    if (inner == null) {
      facts.put("train", describePart(split.train(), names));
    } else {
      facts.put("train", describePart(inner.train(), names));
      facts.put("epoch chosen on", describePart(inner.validation(), names) + " (inner split)");
    }
    facts.put("validation", describePart(split.validation(), names));
    if (data.task().multiLabel() && config.loss().kind() == LossSpec.Kind.CROSS_ENTROPY) {
      double[] w = data.positiveWeights(fit);
      StringBuilder sb = new StringBuilder("binary cross-entropy, positive weight per finding");
      for (int f = 0; f < w.length; f++) {
        sb.append(f == 0 ? " " : ", ")
            .append(names.get(f))
            .append(String.format(Locale.ROOT, " %.2f", w[f]));
      }
      facts.put("loss", sb.toString());
    }
    facts.put("native", OneDnnHelpers.describe());
    return facts;
  }

  /** The one line that says a run diverged and what was kept. */
  static String diverged(int epoch, int bestEpoch, double bestAuc, double lr) {
    return bestEpoch == 0
        ? String.format(
            Locale.ROOT,
            "training diverged at epoch %d (non-finite loss or scores) before any epoch could be"
                + " kept; lower the learning rate (%s)",
            epoch,
            lr)
        : String.format(
            Locale.ROOT,
            "training diverged at epoch %d (non-finite loss or scores); kept epoch %d, AUC %.4f",
            epoch,
            bestEpoch,
            bestAuc);
  }

  private static String describePart(List<Sample> part, List<String> names) {
    StringBuilder sb = new StringBuilder();
    PatientSplit.countsByClass(part, names)
        .forEach((k, v) -> sb.append(k).append(' ').append(v).append(", "));
    return sb.append(part.stream().map(Sample::patientId).distinct().count())
        .append(" patients")
        .toString();
  }
}
