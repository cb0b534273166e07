package dev.cxr.resnet.bn;

import dev.cxr.resnet.compat.LayerWiring;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalisation with DL4J's parameters and semantics, optionally followed by a fused ReLU,
 * implemented by {@link FusedBatchNormalizationLayer} instead of DL4J's layer and its {@code
 * MKLDNNBatchNormHelper}.
 *
 * <p>It is a subclass of DL4J's {@link BatchNormalization} configuration so that everything DL4J
 * and cxr know about batch norm still applies: the same parameter initializer (gamma, beta, running
 * mean, running log10 standard deviation, in that order), no updater and no regularisation on the
 * running statistics, {@code decay}, {@code eps}, {@code useLogStd}, the data format. Only {@link
 * #instantiate} differs. Saved models store the class name, so they reload as this class.
 *
 * <p>With {@link #isRelu() relu} the layer outputs {@code max(0, BN(x))}: it replaces a {@code
 * BatchNormalization} followed by a ReLU {@code ActivationLayer}, saving that layer's copy and its
 * passes forward and backward. Code that folds batch norm into a convolution for inference must
 * keep that ReLU (check {@link #isRelu()}).
 *
 * <p>Not supported: {@code lockGammaBeta} (fixed gamma and beta); the layer refuses it when built.
 */
public class FusedBatchNormalization extends BatchNormalization {

  /** Whether a ReLU follows the normalisation inside this layer. */
  private boolean relu;

  /**
   * Defaults of DL4J's {@code BatchNormalization.Builder} (decay 0.9, eps 1e-5, log10-std running
   * variance), no ReLU. Public for Jackson.
   */
  public FusedBatchNormalization() {
    super();
  }

  private FusedBatchNormalization(Builder builder) {
    super();
    setLayerName(builder.name);
    setDecay(builder.decay);
    setEps(builder.eps);
    this.relu = builder.relu;
  }

  /**
   * Whether the layer applies a ReLU after the normalisation.
   *
   * @return true for BN + ReLU
   */
  public boolean isRelu() {
    return relu;
  }

  /**
   * Sets the fused ReLU (for Jackson and DL4J's configuration copies; use the builder otherwise).
   *
   * @param relu true for BN + ReLU
   */
  public void setRelu(boolean relu) {
    this.relu = relu;
  }

  @Override
  public Layer instantiate(
      NeuralNetConfiguration conf,
      Collection<TrainingListener> trainingListeners,
      int layerIndex,
      INDArray layerParamsView,
      boolean initializeParams,
      DataType networkDataType) {
    LayerValidation.assertNOutSet("FusedBatchNormalization", getLayerName(), layerIndex, getNOut());
    return LayerWiring.wire(
        new FusedBatchNormalizationLayer(conf, networkDataType),
        conf,
        trainingListeners,
        layerIndex,
        layerParamsView,
        initializeParams);
  }

  @Override
  public FusedBatchNormalization clone() {
    return (FusedBatchNormalization) super.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FusedBatchNormalization other && relu == other.relu && super.equals(o);
  }

  @Override
  protected boolean canEqual(Object other) {
    return other instanceof FusedBatchNormalization;
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + Boolean.hashCode(relu);
  }

  @Override
  public String toString() {
    return "FusedBatchNormalization(relu=" + relu + ", " + super.toString() + ")";
  }

  /**
   * Builder; {@code nIn}/{@code nOut} are inferred from the input type like DL4J's.
   *
   * @return a new builder with DL4J's defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link FusedBatchNormalization}; each setter checks its argument at once. */
  public static final class Builder {
    private String name;
    private double decay = 0.9;
    private double eps = 1e-5;
    private boolean relu;

    private Builder() {}

    /**
     * Layer name (the graph's vertex name overrides it).
     *
     * @param name any name
     * @return this builder
     */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /**
     * Decay of the running statistics: {@code running = decay * running + (1 - decay) * batch}.
     *
     * @param decay in [0, 1]
     * @return this builder
     */
    public Builder decay(double decay) {
      if (!(decay >= 0 && decay <= 1)) {
        throw new IllegalArgumentException("decay must be in [0, 1] but was " + decay);
      }
      this.decay = decay;
      return this;
    }

    /**
     * Added to the variance before the square root.
     *
     * @param eps finite, > 0
     * @return this builder
     */
    public Builder eps(double eps) {
      if (!(eps > 0 && Double.isFinite(eps))) {
        throw new IllegalArgumentException("eps must be finite and > 0 but was " + eps);
      }
      this.eps = eps;
      return this;
    }

    /**
     * Fuses a ReLU after the normalisation.
     *
     * @param relu true for BN + ReLU
     * @return this builder
     */
    public Builder relu(boolean relu) {
      this.relu = relu;
      return this;
    }

    /**
     * The configuration.
     *
     * @return a new layer configuration
     */
    public FusedBatchNormalization build() {
      return new FusedBatchNormalization(this);
    }
  }
}
