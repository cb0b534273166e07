package dev.cxr.core.pretrained;

import com.google.common.hash.Hashing;
import com.google.common.io.MoreFiles;
import dev.cxr.core.config.Architecture;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.config.Pretrained;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.io.RegularFiles;
import dev.cxr.core.provenance.ModelFile;
import dev.cxr.core.weights.StateDict;
import dev.cxr.core.weights.WeightFiles;
import dev.cxr.resnet.InputScaling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The starting weights of a fine-tuning run: what a file is ({@link #inspect}), the input scaling
 * its stem expects ({@link #inputScaling}), and its backbone copied into a new network ({@link
 * #loadBackbone}). The new network's head is the task's and starts from random weights.
 */
public final class PretrainedWeights {

  /** torchxrayvision's input: {@code (2x - 1) * 1024} for an image in [0, 1]. */
  public static final InputScaling TXRV_SCALING = InputScaling.affine(2048, -1024);

  private PretrainedWeights() {}

  /**
   * What a file holds.
   *
   * @param pretrained the file, its SHA-256 and kind (no freezing, backbone at the full rate)
   * @param architecture the network family
   * @param depth its depth
   * @param width its base width
   * @param preActivation its layout (always false for PyTorch files)
   * @param description one line for the banner and errors
   */
  public record Inspection(
      Pretrained pretrained,
      Architecture architecture,
      int depth,
      int width,
      boolean preActivation,
      String description) {}

  /**
   * Reads a weight file far enough to know its network: a PyTorch ({@code .pt}/{@code .pth}, zip or
   * legacy) or safetensors file, or a cxr model file.
   *
   * @param file the file
   * @param hint the source the user named ({@code --arch txrv}), or null to tell it from the file
   * @return the inspection
   * @throws CxrDataException naming the file when it is unreadable or not a supported network
   */
  public static Inspection inspect(Path file, Pretrained.Source hint) {
    Objects.requireNonNull(file, "file");
    String sha = sha256(file);
    if (hint == Pretrained.Source.CXR || (hint == null && isCxrModel(file))) {
      if (ModelFile.readEnsemble(file).isPresent()) {
        throw new CxrDataException(
            file, "a fold ensemble cannot be fine-tuned: start from one of its fold models");
      }
      PipelineConfig c = ModelFile.readInfo(file).config();
      return new Inspection(
          new Pretrained(file, sha, Pretrained.Source.CXR, 0, 1.0),
          c.architecture(),
          c.depth(),
          c.width(),
          c.preActivation(),
          "cxr model " + c.describe().get("network"));
    }
    TorchLayout layout = TorchLayout.of(WeightFiles.read(file), hint);
    return new Inspection(
        new Pretrained(file, sha, layout.source(), 0, 1.0),
        layout.architecture(),
        layout.depth(),
        layout.width(),
        false,
        layout.describe());
  }

  /**
   * The input scaling a source's stem expects.
   *
   * @param source what made the weights
   * @return ImageNet's per-channel scaling for torchvision, torchxrayvision's [-1024, 1024], or
   *     null (a cxr model's network carries its own)
   */
  public static InputScaling inputScaling(Pretrained.Source source) {
    return switch (source) {
      case TORCHVISION -> InputScaling.imageNet();
      case TORCHXRAYVISION -> TXRV_SCALING;
      case CXR -> null;
    };
  }

  /**
   * Copies every weight but the head's from the file into {@code net}, a network built for the same
   * architecture; the file's SHA-256 must still be the recorded one.
   *
   * @param pretrained the recorded source
   * @param net the new network
   * @return the number of parameters copied
   * @throws CxrDataException when the file changed or does not fit the network
   */
  public static long loadBackbone(Pretrained pretrained, ComputationGraph net) {
    Path file = pretrained.file();
    String sha = sha256(file);
    if (!sha.equals(pretrained.sha256())) {
      throw new CxrDataException(
          file,
          "changed since the run was set up (SHA-256 "
              + sha.substring(0, 12)
              + "..., recorded "
              + pretrained.sha256().substring(0, 12)
              + "...)");
    }
    if (pretrained.source() == Pretrained.Source.CXR) {
      return copyByName(file, ModelFile.read(file, false).network(), net);
    }
    StateDict weights = WeightFiles.read(file);
    return WeightMapping.copy(weights, TorchLayout.of(weights, pretrained.source()), net, null);
  }

  /**
   * Copies a state dict into a network of its layout, head included.
   *
   * @param weights the file's tensors
   * @param layout what they describe ({@link TorchLayout#of})
   * @param net a network of that layout whose head has {@code headRows.length} outputs
   * @param headRows the classifier rows that become the head's outputs, in order
   * @return the number of parameters copied
   * @throws CxrDataException naming the key that does not fit
   */
  public static long copyAll(
      StateDict weights, TorchLayout layout, ComputationGraph net, int[] headRows) {
    return WeightMapping.copy(weights, layout, net, java.util.Objects.requireNonNull(headRows));
  }

  /** A cxr network's parameters into another of the same layout, every layer but the head. */
  private static long copyByName(Path file, ComputationGraph from, ComputationGraph to) {
    long copied = 0;
    for (Layer l : to.getLayers()) {
      String name = l.getConfig().getLayerName();
      if (name.equals("output")) {
        continue;
      }
      Layer src = from.getLayer(name);
      for (Map.Entry<String, INDArray> p : l.paramTable().entrySet()) {
        INDArray v = src == null ? null : src.paramTable().get(p.getKey());
        if (v == null || !java.util.Arrays.equals(v.shape(), p.getValue().shape())) {
          throw new CxrDataException(
              file,
              "its network has no parameter "
                  + name
                  + "/"
                  + p.getKey()
                  + " of shape "
                  + java.util.Arrays.toString(p.getValue().shape()));
        }
        l.setParam(p.getKey(), v.dup());
        copied += v.length();
      }
    }
    return copied;
  }

  /**
   * The SHA-256 of a file.
   *
   * @param file the file
   * @return 64 lower-case hex digits
   * @throws CxrDataException when it cannot be read
   */
  public static String sha256(Path file) {
    RegularFiles.require(file, "weight file");
    try {
      return MoreFiles.asByteSource(file).hash(Hashing.sha256()).toString();
    } catch (IOException e) {
      throw new CxrDataException(file, -1, "cannot read: " + e.getMessage(), e);
    }
  }

  private static boolean isCxrModel(Path file) {
    try (var in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(4);
      if (head.length < 4 || head[0] != 'P' || head[1] != 'K') {
        return false;
      }
    } catch (IOException e) {
      throw new CxrDataException(file, -1, "cannot read: " + e.getMessage(), e);
    }
    try (var zip = new java.util.zip.ZipFile(file.toFile())) {
      return zip.getEntry(ModelFile.METADATA_ENTRY) != null;
    } catch (IOException e) {
      return false;
    }
  }
}
