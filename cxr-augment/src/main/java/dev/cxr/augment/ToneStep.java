package dev.cxr.augment;

import dev.cxr.augment.FusedSample.Stage;
import java.util.SplittableRandom;

/**
 * The intensity steps with a range parameter (brightness, contrast, gamma): each draws one value
 * from the range its parameters give and folds it into the sample's tone map {@code clamp01(gain v
 * + offset) ^ power}, so however many of them fire the pixels are visited once ({@link
 * IntensityKernel}). A tone step is its sampling ({@link #sample}) and its kernel ({@link
 * #toneMap}).
 */
abstract sealed class ToneStep extends AugmentationStep permits Brightness, Contrast, Gamma {

  ToneStep(StepType kind, double[] values) {
    super(kind, values);
  }

  /** Draws the step's value: a shift, a factor or a power. */
  abstract double sample(SplittableRandom random);

  /** Folds {@code value}, drawn by {@link #sample}, into the tone map of {@code sample}. */
  abstract void toneMap(FusedSample sample, double value);

  @Override
  final Stage stage() {
    return Stage.TONE;
  }

  @Override
  final void contribute(FusedSample sample, SplittableRandom random) {
    toneMap(sample, sample(random));
  }
}
