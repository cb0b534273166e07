package dev.cxr.spark;

import dev.cxr.core.CxrModel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How probabilities become the {@code predicted} column. A binary model (Effusion vs No Finding)
 * predicts its positive label when the positive probability reaches the operating threshold chosen
 * on its validation split (0.5 when it has none), else the other label. A multi-label model lists
 * every finding at or above its own operating threshold (0.5 where it has none), joined by {@code
 * |} as the NIH labels file does, or "No Finding".
 */
final class Labelling implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String NONE = "No Finding";

  private final ArrayList<String> labels;
  private final int positiveColumn;
  private final boolean multiLabel;
  private final double threshold;
  private final double[] thresholds; // a multi-label model's, one per finding

  Labelling(CxrModel model) {
    this.labels = new ArrayList<>(model.labelNames());
    this.positiveColumn = model.info().task().positiveColumn();
    this.multiLabel = model.info().task().multiLabel();
    double t = model.info().threshold();
    this.threshold = Double.isFinite(t) ? t : 0.5;
    int n = model.info().task().findings().size();
    this.thresholds = model.info().validation().thresholds(n);
    for (int i = 0; i < n; i++) {
      thresholds[i] = Double.isFinite(thresholds[i]) ? thresholds[i] : 0.5;
    }
  }

  /** The threshold applied to the positive probability of a binary model. */
  double threshold() {
    return threshold;
  }

  String predicted(Map<String, Double> probs) {
    if (multiLabel) {
      List<String> on = new ArrayList<>();
      for (int i = 0; i < labels.size(); i++) {
        if (probs.get(labels.get(i)) >= thresholds[i]) {
          on.add(labels.get(i));
        }
      }
      return on.isEmpty() ? NONE : String.join("|", on);
    }
    String positive = labels.get(positiveColumn);
    if (probs.get(positive) >= threshold) {
      return positive;
    }
    return labels.get(positiveColumn == 0 ? 1 : 0);
  }
}
