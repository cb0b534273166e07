package dev.cxr.core.data;

/**
 * How a training epoch draws its images.
 *
 * <p>{@link #BALANCED} is minority oversampling: every epoch keeps its length (the number of
 * training images) but draws half of it from the positive images and half from the others, each
 * class visited in a fresh seeded shuffle (cycled when the class has fewer images than its half),
 * so a batch holds both classes about equally; the order of an epoch depends on (seed, epoch)
 * alone, like the natural shuffle. The article (1:10 imbalance) did not have it; it is the
 * data-side alternative to a weighted loss.
 */
public enum Sampler {
  /** Every training image once per epoch, in a seeded shuffle (the default). */
  NATURAL,
  /** Half positives, half negatives per epoch and per batch; the minority class is repeated. */
  BALANCED
}
