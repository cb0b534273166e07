package dev.cxr.core.config;

import dev.cxr.augment.CxrAugmentation;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The setters of the network, optimiser, loss and augmentation fields of a {@link PipelineConfig};
 * {@link ConfigBuilder} adds the data and run fields. Each setter checks its argument at once with
 * the limits of {@link Limits}.
 *
 * <p>Calls that set the same thing in two different ways conflict: {@code adam(...)} then {@code
 * sgd(...)}, two different losses, or {@code resume(...)} and {@code checkpointDir(...)}. The
 * second is an {@link IllegalStateException} naming both calls, never a silent overwrite. Calling
 * the same method again just replaces its value.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class NetworkSettingsBuilder<B extends NetworkSettingsBuilder<B>> {
  int depth;
  Architecture architecture;
  boolean preActivation;
  int width;
  int imageSize;
  int batchSize;
  int epochs;
  Optimizer optimizer;
  double learningRate;
  double momentum;
  Schedule schedule;
  CxrAugmentation augmentation;
  LossSpec loss;
  double dropout;
  double l2;
  private final Map<String, String> claims = new HashMap<>();

  /** For subclasses. */
  NetworkSettingsBuilder() {}

  /** Forgets which calls set what (after a whole configuration was loaded). */
  final void clearClaims() {
    claims.clear();
  }

  /**
   * This builder, typed.
   *
   * @return {@code this}
   */
  protected abstract B self();

  /**
   * Records that {@code call} sets {@code concern}; fails when another call set it already.
   *
   * @param concern what is set, e.g. "the optimizer"
   * @param call the method that sets it, e.g. "sgd(...)"
   * @throws IllegalStateException naming both calls
   */
  protected final void claim(String concern, String call) {
    String earlier = claims.putIfAbsent(concern, call);
    if (earlier != null && !earlier.equals(call)) {
      throw new IllegalStateException(
          call + " conflicts with " + earlier + " called earlier: both set " + concern);
    }
  }

  /**
   * @param depth ResNet depth, one of {@link Limits#DEPTHS} (default 18)
   * @return this
   */
  public B resnet(int depth) {
    Limits.depth(depth);
    claim("the network", "resnet(...)");
    this.architecture = Architecture.RESNET;
    this.depth = depth;
    return self();
  }

  /**
   * A DenseNet (Huang et al. 2017) in torchvision's layout instead of a ResNet; {@code width} and
   * {@code preActivation} do not apply to it.
   *
   * @param depth one of 121, 169, 201
   * @return this
   */
  public B densenet(int depth) {
    Architecture.DENSENET.checkDepth(depth);
    claim("the network", "densenet(...)");
    this.architecture = Architecture.DENSENET;
    this.depth = depth;
    return self();
  }

  /**
   * @param preActivation the pre-activation ResNet of He et al. 2016 (default false)
   * @return this
   */
  public B preActivation(boolean preActivation) {
    this.preActivation = preActivation;
    return self();
  }

  /**
   * @param width base number of filters, in [1, {@value Limits#MAX_WIDTH}] (default 64; 8-16 for
   *     quick experiments)
   * @return this
   */
  public B width(int width) {
    Limits.inRange("width", width, 1, Limits.MAX_WIDTH);
    this.width = width;
    return self();
  }

  /**
   * @param size square input size in pixels, in [{@value Limits#MIN_IMAGE_SIZE}, {@value
   *     Limits#MAX_IMAGE_SIZE}] (default 256)
   * @return this
   */
  public B imageSize(int size) {
    Limits.inRange("imageSize", size, Limits.MIN_IMAGE_SIZE, Limits.MAX_IMAGE_SIZE);
    this.imageSize = size;
    return self();
  }

  /**
   * @param batchSize images per batch, in [1, {@value Limits#MAX_BATCH_SIZE}] (default 16)
   * @return this
   */
  public B batchSize(int batchSize) {
    Limits.inRange("batchSize", batchSize, 1, Limits.MAX_BATCH_SIZE);
    this.batchSize = batchSize;
    return self();
  }

  /**
   * @param epochs maximum number of epochs, in [1, {@value Limits#MAX_EPOCHS}] (default 10)
   * @return this
   */
  public B epochs(int epochs) {
    Limits.inRange("epochs", epochs, 1, Limits.MAX_EPOCHS);
    this.epochs = epochs;
    return self();
  }

  /**
   * Adam with the given learning rate (the default optimiser, rate {@link
   * Optimizer#defaultLearningRate()}). Conflicts with {@link #sgd(double, double)}.
   *
   * @param learningRate learning rate
   * @return this
   */
  public B adam(double learningRate) {
    Limits.learningRate(learningRate);
    claim("the optimizer", "adam(...)");
    this.optimizer = Optimizer.ADAM;
    this.learningRate = learningRate;
    return self();
  }

  /**
   * SGD with Nesterov momentum, as in the article's notebook (rate {@link
   * Optimizer#defaultLearningRate()} of {@link Optimizer#SGD}, momentum 0.9). Conflicts with {@link
   * #adam(double)}.
   *
   * @param learningRate learning rate
   * @param momentum momentum in [0, 1)
   * @return this
   */
  public B sgd(double learningRate, double momentum) {
    Limits.learningRate(learningRate);
    Limits.halfOpen("momentum", momentum, 0, 1);
    claim("the optimizer", "sgd(...)");
    this.optimizer = Optimizer.SGD;
    this.learningRate = learningRate;
    this.momentum = momentum;
    return self();
  }

  /**
   * @param learningRate initial learning rate of the chosen optimiser, in (0, {@value
   *     Limits#MAX_LEARNING_RATE}]
   * @return this
   */
  public B learningRate(double learningRate) {
    Limits.learningRate(learningRate);
    this.learningRate = learningRate;
    return self();
  }

  /**
   * @param schedule learning-rate schedule (default constant)
   * @return this
   */
  public B schedule(Schedule schedule) {
    Objects.requireNonNull(schedule, "schedule");
    this.schedule = schedule;
    return self();
  }

  /**
   * @param augmentation training augmentation (default {@link CxrAugmentation#medicalSafe()}); its
   *     seed is replaced by the run's {@code seed(long)}
   * @return this
   */
  public B augmentation(CxrAugmentation augmentation) {
    Objects.requireNonNull(augmentation, "augmentation");
    this.augmentation = augmentation;
    return self();
  }

  /**
   * The loss as data (see {@link LossSpec}); {@link #classWeights}, {@link #costMatrix} and {@link
   * #focal} are shortcuts. Conflicts with any other loss call.
   *
   * @param loss the loss
   * @return this
   */
  public B loss(LossSpec loss) {
    Objects.requireNonNull(loss, "loss");
    claim("the loss", "loss(...)");
    return setLoss(loss);
  }

  private B setLoss(LossSpec loss) {
    this.loss = loss;
    return self();
  }

  /**
   * Class-weighted cross-entropy: {@code classWeights(1, 5)} makes a mistake on a positive image
   * (class 1) weigh 5 times.
   *
   * @param weights one non-negative weight per class (No Finding, positive)
   * @return this
   */
  public B classWeights(double... weights) {
    LossSpec spec = LossSpec.classWeights(weights);
    claim("the loss", "classWeights(...)");
    return setLoss(spec);
  }

  /**
   * The article's cost-matrix cross-entropy: {@code W[true][predicted]} multiplies each sample's
   * cross-entropy. {@code costMatrix(1, 5, 5, 1)} is the article's [[1,5],[5,1]].
   *
   * @param rowMajor the 2x2 matrix, row by row
   * @return this
   */
  public B costMatrix(double... rowMajor) {
    LossSpec spec = LossSpec.costMatrix(rowMajor);
    claim("the loss", "costMatrix(...)");
    return setLoss(spec);
  }

  /**
   * Focal loss (Lin et al. 2017).
   *
   * @param gamma focusing parameter, >= 0 (2 in the paper)
   * @param alpha optional per-class weights (none, or one per class)
   * @return this
   */
  public B focal(double gamma, double... alpha) {
    LossSpec spec = LossSpec.focal(gamma, alpha);
    claim("the loss", "focal(...)");
    return setLoss(spec);
  }

  /**
   * @param rate dropout rate before the head, in [0, 1) (default 0)
   * @return this
   */
  public B dropout(double rate) {
    Limits.halfOpen("dropout", rate, 0, 1);
    this.dropout = rate;
    return self();
  }

  /**
   * @param l2 L2 weight decay, finite and >= 0 (default 0)
   * @return this
   */
  public B l2(double l2) {
    Limits.nonNegativeFinite("l2", l2);
    this.l2 = l2;
    return self();
  }
}
