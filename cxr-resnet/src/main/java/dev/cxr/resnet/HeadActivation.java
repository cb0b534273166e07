package dev.cxr.resnet;

import java.util.function.Supplier;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/** Activation of the dense output layer, each with the loss that matches it by default. */
public enum HeadActivation {

  /**
   * Mutually exclusive classes: softmax with multi-class cross-entropy (MCXENT); needs 2+ classes.
   */
  SOFTMAX(Activation.SOFTMAX, LossMCXENT::new, 2),

  /** Independent (multi-label) outputs: sigmoid with binary cross-entropy (XENT); 1+ outputs. */
  SIGMOID(Activation.SIGMOID, LossBinaryXENT::new, 1);

  private final Activation activation;
  private final Supplier<ILossFunction> defaultLoss;
  private final int minimumClasses;

  HeadActivation(Activation activation, Supplier<ILossFunction> defaultLoss, int minimumClasses) {
    this.activation = activation;
    this.defaultLoss = defaultLoss;
    this.minimumClasses = minimumClasses;
  }

  /**
   * The DL4J activation of the output layer.
   *
   * @return softmax or sigmoid
   */
  public Activation activation() {
    return activation;
  }

  /**
   * A fresh instance of the loss used when the caller supplies none.
   *
   * @return {@link LossMCXENT} for softmax, {@link LossBinaryXENT} for sigmoid
   */
  public ILossFunction defaultLoss() {
    return defaultLoss.get();
  }

  /**
   * The smallest number of outputs this head makes sense with.
   *
   * @return 2 for softmax, 1 for sigmoid
   */
  public int minimumClasses() {
    return minimumClasses;
  }
}
