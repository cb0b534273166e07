/**
 * Class-imbalance-aware cross-entropy losses for Eclipse Deeplearning4j, needing only {@code
 * nd4j-api}.
 *
 * <ul>
 *   <li>{@link dev.cxr.loss.WeightedCrossEntropy}: cross-entropy with one weight per class (softmax
 *       form) or one positive weight per label, like PyTorch's {@code pos_weight} (sigmoid form).
 *   <li>{@link dev.cxr.loss.CostMatrixCrossEntropy}: cross-entropy scaled by a cost-matrix entry
 *       {@code W[true class][predicted class]}, the loss of the article "Detecting anomalies in
 *       X-ray using CNN" (its Keras {@code w_categorical_crossentropy}).
 *   <li>{@link dev.cxr.loss.FocalLoss}: the focal loss of Lin et al., "Focal Loss for Dense Object
 *       Detection", ICCV 2017.
 * </ul>
 *
 * <p>Every loss implements {@link org.nd4j.linalg.lossfunctions.ILossFunction}, so it plugs into
 * any DL4J output layer ({@code new OutputLayer.Builder(new WeightedCrossEntropy(1, 5))}); it is
 * immutable, validates its arguments when constructed, serialises to the network's JSON
 * configuration (a saved network loads again with an equal loss), honours DL4J label masks (per
 * example {@code [mb, 1]} and per output {@code [mb, nOut]}), and never yields NaN or infinity for
 * outputs of exactly 0 or 1. With all weights 1 (and focal {@code gamma = 0}) each loss equals
 * DL4J's {@code LossMCXENT} (softmax) or {@code LossBinaryXENT} (sigmoid).
 *
 * <p>This package depends on no other cxr module.
 */
package dev.cxr.loss;
