package dev.cxr.resnet;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;

/**
 * A fixed affine map from the network's one-channel input to the channels its stem expects: output
 * channel {@code c} is {@code scale[c] * x + shift[c]}. It is made of DL4J's parameter-free {@link
 * ScaleVertex}, {@link ShiftVertex} and (for several channels) {@link MergeVertex}, so it has no
 * parameters, nothing trains it, and a saved model reloads it as plain DL4J.
 *
 * <p>Why in the graph and not folded into the stem: weights made for another input scaling (an
 * ImageNet network's per-channel mean and standard deviation, torchxrayvision's [-1024, 1024])
 * expect the stem's zero padding to be zero <em>after</em> that scaling. Folding a shift into the
 * first convolution changes the border pixels, so the result would be approximate; applied before
 * the convolution, as here, it is exact.
 *
 * <p>Vertex names: {@code input_scale}, {@code input_shift} for one channel; {@code
 * input_c<i>_scale}, {@code input_c<i>_shift} (0-based) merged into {@code input_channels} for
 * several.
 *
 * @param scale per output channel, finite and non-zero (at least one, at most 256)
 * @param shift per output channel, finite; as many as {@code scale}
 */
public record InputScaling(List<Double> scale, List<Double> shift) {

  /** ImageNet channel means (R, G, B) of torchvision's pretrained models. */
  public static final List<Double> IMAGENET_MEAN = List.of(0.485, 0.456, 0.406);

  /** ImageNet channel standard deviations (R, G, B) of torchvision's pretrained models. */
  public static final List<Double> IMAGENET_STD = List.of(0.229, 0.224, 0.225);

  /**
   * Checks the lists.
   *
   * @param scale per output channel
   * @param shift per output channel
   */
  public InputScaling {
    Objects.requireNonNull(scale, "scale");
    Objects.requireNonNull(shift, "shift");
    scale = List.copyOf(scale);
    shift = List.copyOf(shift);
    Checks.inRange("input scaling channels", scale.size(), 1, Checks.MAX_INPUT_CHANNELS);
    if (shift.size() != scale.size()) {
      throw new IllegalArgumentException(
          "input scaling has " + scale.size() + " scales but " + shift.size() + " shifts");
    }
    for (int c = 0; c < scale.size(); c++) {
      double s = scale.get(c);
      if (!Double.isFinite(s) || s == 0) {
        throw new IllegalArgumentException("input scale of channel " + c + " was " + s);
      }
      if (!Double.isFinite(shift.get(c))) {
        throw new IllegalArgumentException("input shift of channel " + c + " was " + shift.get(c));
      }
    }
  }

  /**
   * One channel, {@code scale * x + shift}: e.g. torchxrayvision's {@code (2x - 1) * 1024} for an
   * image in [0, 1] is {@code affine(2048, -1024)}.
   *
   * @param scale finite, non-zero
   * @param shift finite
   * @return the scaling
   */
  public static InputScaling affine(double scale, double shift) {
    return new InputScaling(List.of(scale), List.of(shift));
  }

  /**
   * Torchvision's ImageNet input for a gray image in [0, 1] copied to R, G and B: channel {@code c}
   * is {@code (x - mean[c]) / std[c]}.
   *
   * @return three channels
   */
  public static InputScaling imageNet() {
    List<Double> scale = new ArrayList<>();
    List<Double> shift = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      scale.add(1.0 / IMAGENET_STD.get(c));
      shift.add(-IMAGENET_MEAN.get(c) / IMAGENET_STD.get(c));
    }
    return new InputScaling(scale, shift);
  }

  /**
   * Channels entering the stem.
   *
   * @return the number of scales
   */
  public int channels() {
    return scale.size();
  }

  /**
   * Adds the vertices after {@code input}.
   *
   * @param graph the graph being built
   * @param input the vertex holding the one-channel image
   * @return the name of the vertex the stem reads
   */
  String addTo(GraphBuilder graph, String input) {
    if (channels() == 1) {
      graph.addVertex("input_scale", new ScaleVertex(scale.get(0)), input);
      graph.addVertex("input_shift", new ShiftVertex(shift.get(0)), "input_scale");
      return "input_shift";
    }
    String[] shifted = new String[channels()];
    for (int c = 0; c < channels(); c++) {
      String p = "input_c" + c + "_";
      graph.addVertex(p + "scale", new ScaleVertex(scale.get(c)), input);
      graph.addVertex(p + "shift", new ShiftVertex(shift.get(c)), p + "scale");
      shifted[c] = p + "shift";
    }
    graph.addVertex("input_channels", new MergeVertex(), shifted);
    return "input_channels";
  }
}
