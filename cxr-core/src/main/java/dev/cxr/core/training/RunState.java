package dev.cxr.core.training;

import dev.cxr.core.cache.PixelCache;
import dev.cxr.core.data.PatientSplit;
import dev.cxr.core.data.Sample;
import dev.cxr.core.image.Normalisation;
import dev.cxr.core.provenance.Fold;
import dev.cxr.core.provenance.TrainingImages;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** The state a {@link TrainingRun} hands between its steps (start, the epoch loop, finish). */
final class RunState {
  private RunState() {}

  /** What the epoch loop works on: set up once by {@link #train}, read by the loop. */
  record Setup(
      TrainingData data,
      PatientSplit usable,
      PatientSplit inner,
      List<Sample> fit,
      List<Sample> choose,
      Normalisation norm,
      String fingerprint,
      TrainingImages trained,
      Fold fold,
      Checkpoints checkpoints,
      PixelCache cache,
      ILossFunction loss) {}

  /** The best epoch so far: its number, AUC on the selection part, weights and scores. */
  static final class Best {
    double auc = Double.NEGATIVE_INFINITY;
    int epoch;
    INDArray params;
    EpochScores validation; // the kept weights' scores, when trained in this run
    EpochScores selection;
  }
}
