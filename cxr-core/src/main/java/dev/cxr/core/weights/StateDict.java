package dev.cxr.core.weights;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The tensors of a weight file by state-dict key, in the order {@code model.state_dict()} gives
 * them (for safetensors: the order of the file's header), with the plain values found beside them.
 *
 * <p>What the keys come from: a file holding a dict of tensors gives its keys; a checkpoint dict
 * holding {@code state_dict}, {@code model_state_dict} or {@code model} (tried in that order; a
 * dict or a whole module) gives the keys of that; a whole pickled {@code nn.Module} gives the keys
 * {@code module.state_dict()} would (parameters, then persistent buffers, then submodules,
 * recursively; None entries and {@code _non_persistent_buffers_set} left out). When every key
 * starts with {@code module.} (a DataParallel model's state dict) the prefix is taken off.
 *
 * <p>{@link #attributes()} holds simple values: of a whole module, the root module's attributes
 * whose names do not start with an underscore (e.g. torchxrayvision's {@code pathologies}, a list
 * of strings, and {@code op_threshs}, a {@link Tensor}; also {@code training}); of a checkpoint
 * dict, its other entries (e.g. {@code epoch}); of a safetensors file, the strings of {@code
 * __metadata__}. A value is a String, Boolean, Long, Double, an unmodifiable List of those, or a
 * Tensor; anything else (dicts, None, objects) is left out.
 */
public final class StateDict {
  /** {@link #format()} of a safetensors file. */
  public static final String SAFETENSORS = "safetensors";

  /** {@link #format()} of a {@code torch.save} zip archive (PyTorch 1.6 and later). */
  public static final String PYTORCH_ZIP = "pytorch-zip";

  /** {@link #format()} of a legacy {@code torch.save} file (before 1.6, or not zipped). */
  public static final String PYTORCH_LEGACY = "pytorch-legacy";

  private final Path source;
  private final String format;
  private final Map<String, Tensor> tensors;
  private final Map<String, Object> attributes;

  StateDict(
      Path source, String format, Map<String, Tensor> tensors, Map<String, Object> attributes) {
    this.source = Objects.requireNonNull(source, "source");
    this.format = Objects.requireNonNull(format, "format");
    this.tensors =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(Objects.requireNonNull(tensors, "tensors")));
    this.attributes =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(Objects.requireNonNull(attributes, "attributes")));
  }

  /**
   * @return the file read
   */
  public Path source() {
    return source;
  }

  /**
   * @return {@link #SAFETENSORS}, {@link #PYTORCH_ZIP} or {@link #PYTORCH_LEGACY}
   */
  public String format() {
    return format;
  }

  /**
   * @return the tensors by key, in state-dict order; unmodifiable
   */
  public Map<String, Tensor> tensors() {
    return tensors;
  }

  /**
   * @return the keys in state-dict order
   */
  public List<String> keys() {
    return List.copyOf(tensors.keySet());
  }

  /**
   * @return the number of tensors
   */
  public int size() {
    return tensors.size();
  }

  /**
   * @param name a state-dict key
   * @return whether the file holds a tensor of that key
   */
  public boolean contains(String name) {
    return tensors.containsKey(Objects.requireNonNull(name, "name"));
  }

  /**
   * @param name a state-dict key, e.g. {@code features.conv0.weight}
   * @return its tensor
   * @throws NoSuchElementException when the file holds no tensor of that key (the message names the
   *     file)
   */
  public Tensor get(String name) {
    Tensor t = tensors.get(Objects.requireNonNull(name, "name"));
    if (t == null) {
      throw new NoSuchElementException(
          source + ": no tensor '" + name + "' among " + tensors.size());
    }
    return t;
  }

  /**
   * @return the simple values found beside the tensors, by name, in file order; unmodifiable
   */
  public Map<String, Object> attributes() {
    return attributes;
  }

  /**
   * @return the file, format and counts, e.g. {@code model.pt (pytorch-zip): 364 tensors, 2
   *     attributes}
   */
  @Override
  public String toString() {
    return source
        + " ("
        + format
        + "): "
        + tensors.size()
        + " tensors, "
        + attributes.size()
        + " attributes";
  }
}
