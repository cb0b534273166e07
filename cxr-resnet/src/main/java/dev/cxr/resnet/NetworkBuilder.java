package dev.cxr.resnet;

import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The settings every cxr network builder shares ({@link ResNets.Builder}, {@link
 * DenseNets.Builder}): input shape and scaling, head, regularisation, seed, optimiser, data type
 * and batch-norm implementation. Each setter checks its argument at once; the subclasses add their
 * layout and build the configuration.
 *
 * <p>Defaults: 1 x 224 x 224 input, 2 classes, softmax head with its default loss, no dropout, no
 * L2, seed {@value #DEFAULT_SEED}, Adam with learning rate 1e-3, {@code FLOAT}, {@link
 * BatchNormImplementation#FUSED} batch norm, no input scaling.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class NetworkBuilder<B extends NetworkBuilder<B>> {

  /** Default seed of the weight initialisation. */
  public static final long DEFAULT_SEED = 42L;

  static final double DEFAULT_LEARNING_RATE = 1e-3;

  int inputChannels = 1;
  int inputHeight = 224;
  int inputWidth = 224;
  int classes = 2;
  HeadActivation headActivation = HeadActivation.SOFTMAX;
  ILossFunction loss; // null: headActivation's default loss
  double dropout = 0.0;
  double l2 = 0.0;
  long seed = DEFAULT_SEED;
  IUpdater updater = new Adam(DEFAULT_LEARNING_RATE);
  DataType dataType = DataType.FLOAT;
  BatchNormImplementation batchNorm = BatchNormImplementation.FUSED;
  InputScaling inputScaling; // null: none

  /** Only this package's builders extend it. */
  NetworkBuilder() {}

  /**
   * This builder, typed.
   *
   * @return {@code this}
   */
  abstract B self();

  /** The loss of the head: the one set, or the head activation's default. */
  ILossFunction lossOrDefault() {
    return loss != null ? loss : headActivation.defaultLoss();
  }

  /**
   * Input channels, height and width.
   *
   * @param channels 1 to 256
   * @param height 32 to 4096 pixels
   * @param width 32 to 4096 pixels
   * @return this builder
   */
  public B inputShape(int channels, int height, int width) {
    Checks.inRange("inputChannels", channels, 1, Checks.MAX_INPUT_CHANNELS);
    Checks.inputSize("inputHeight", height);
    Checks.inputSize("inputWidth", width);
    this.inputChannels = channels;
    this.inputHeight = height;
    this.inputWidth = width;
    return self();
  }

  /**
   * Square input size, keeping the channels.
   *
   * @param size 32 to 4096 pixels
   * @return this builder
   */
  public B inputSize(int size) {
    return inputSize(size, size);
  }

  /**
   * Input height and width, keeping the channels.
   *
   * @param height 32 to 4096 pixels
   * @param width 32 to 4096 pixels
   * @return this builder
   */
  public B inputSize(int height, int width) {
    return inputShape(inputChannels, height, width);
  }

  /**
   * Input channels, keeping the size.
   *
   * @param channels 1 to 256
   * @return this builder
   */
  public B channels(int channels) {
    return inputShape(channels, inputHeight, inputWidth);
  }

  /**
   * Number of outputs of the dense head.
   *
   * @param classes 1 to 100000 (at least 2 with a softmax head; checked when configured)
   * @return this builder
   */
  public B classes(int classes) {
    this.classes = Checks.inRange("classes", classes, 1, Checks.MAX_CLASSES);
    return self();
  }

  /**
   * Activation of the head; its default loss applies unless {@link #loss(ILossFunction)} is set.
   *
   * @param headActivation softmax or sigmoid
   * @return this builder
   */
  public B headActivation(HeadActivation headActivation) {
    this.headActivation = Objects.requireNonNull(headActivation, "headActivation");
    return self();
  }

  /**
   * Loss of the output layer instead of the head's default (MCXENT for softmax, XENT for sigmoid).
   * It must be Jackson-serialisable like DL4J's own losses.
   *
   * @param loss the loss function
   * @return this builder
   */
  public B loss(ILossFunction loss) {
    this.loss = Objects.requireNonNull(loss, "loss");
    return self();
  }

  /**
   * Dropout on the pooled features, before the dense head.
   *
   * @param rate probability of dropping each feature, in [0, 1); 0 disables it
   * @return this builder
   */
  public B dropout(double rate) {
    this.dropout = Checks.dropout(rate);
    return self();
  }

  /**
   * L2 weight decay on convolution and dense weights (biases and BN are not decayed).
   *
   * @param l2 coefficient, finite and >= 0; 0 disables it
   * @return this builder
   */
  public B l2(double l2) {
    this.l2 = Checks.l2(l2);
    return self();
  }

  /**
   * Seed of the weight initialisation.
   *
   * @param seed any value
   * @return this builder
   */
  public B seed(long seed) {
    this.seed = seed;
    return self();
  }

  /**
   * Optimiser of every layer.
   *
   * @param updater e.g. {@code new Adam(1e-3)}; it is copied when the graph is configured
   * @return this builder
   */
  public B updater(IUpdater updater) {
    this.updater = Objects.requireNonNull(updater, "updater");
    return self();
  }

  /**
   * Data type of parameters and activations.
   *
   * @param dataType a floating-point type (FLOAT, DOUBLE, HALF, BFLOAT16)
   * @return this builder
   */
  public B dataType(DataType dataType) {
    this.dataType = Checks.floatingPoint(dataType);
    return self();
  }

  /**
   * Implementation of the batch-norm layers: cxr's fused BN + ReLU layer (default, faster training)
   * or DL4J's batch norm followed by separate ReLU layers (the graph of models saved by older cxr
   * versions).
   *
   * @param batchNorm {@link BatchNormImplementation#FUSED} or {@link BatchNormImplementation#DL4J}
   * @return this builder
   */
  public B batchNorm(BatchNormImplementation batchNorm) {
    this.batchNorm = Objects.requireNonNull(batchNorm, "batchNorm");
    return self();
  }

  /**
   * A fixed affine map from the one-channel input to the stem's channels, for weights made for
   * another input range ({@link InputScaling#imageNet()} for torchvision's ImageNet weights,
   * torchxrayvision's {@link InputScaling#affine}); the stem then has {@code
   * inputScaling.channels()} input channels.
   *
   * @param inputScaling the scaling, or null for none (the default)
   * @return this builder
   */
  public B inputScaling(InputScaling inputScaling) {
    this.inputScaling = inputScaling;
    return self();
  }
}
