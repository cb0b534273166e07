package dev.cxr.augment;

import dev.cxr.augment.FusedSample.Stage;
import java.util.SplittableRandom;

/**
 * The geometric steps: each draws a forward affine map in pixel coordinates, and the maps of the
 * steps that fire are composed in pipeline order and resampled once ({@link Resampler}, bilinear,
 * replicated borders). A geometric step is its sampling of that map.
 */
abstract sealed class GeometricStep extends AugmentationStep
    permits HorizontalFlip, Rotation, Zoom, Translation {

  GeometricStep(StepType kind, double[] values) {
    super(kind, values);
  }

  /** Draws the forward map for an image of {@code width x height}; the identity leaves it as is. */
  abstract AffineMap sampleForward(SplittableRandom random, int width, int height);

  @Override
  final Stage stage() {
    return Stage.GEOMETRY;
  }

  @Override
  final void contribute(FusedSample sample, SplittableRandom random) {
    sample.transform(sampleForward(random, sample.width(), sample.height()));
  }
}
