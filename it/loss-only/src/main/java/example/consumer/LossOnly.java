package example.consumer;

import dev.cxr.loss.WeightedCrossEntropy;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** cxr-loss's weighted cross-entropy in a plain DL4J network, without the rest of cxr. */
public final class LossOnly {
  private LossOnly() {}

  /**
   * Fits a tiny network on a fixed, separable problem with the positive class weighted 5 times.
   *
   * @param steps training steps
   * @return the loss before and after training
   */
  public static double[] fit(int steps) {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(1)
            .updater(new Adam(0.05))
            .list()
            .layer(new DenseLayer.Builder().nIn(2).nOut(8).activation(Activation.TANH).build())
            .layer(
                new OutputLayer.Builder(WeightedCrossEntropy.softmax(1, 5))
                    .nIn(8)
                    .nOut(2)
                    .activation(Activation.SOFTMAX)
                    .build())
            .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    INDArray x = Nd4j.create(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
    INDArray y = Nd4j.create(new float[][] {{1, 0}, {1, 0}, {1, 0}, {0, 1}});
    double before = net.score(new DataSet(x, y));
    for (int i = 0; i < steps; i++) {
      net.fit(x, y);
    }
    double after = net.score(new DataSet(x, y));
    System.out.printf("weighted cross-entropy: %.4f -> %.4f%n", before, after);
    return new double[] {before, after};
  }

  /**
   * Entry point.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    fit(200);
  }
}
