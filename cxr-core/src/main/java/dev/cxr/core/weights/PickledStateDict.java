package dev.cxr.core.weights;

import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.weights.Py.PyDict;
import dev.cxr.core.weights.Py.PyList;
import dev.cxr.core.weights.Py.PySet;
import dev.cxr.core.weights.Py.PyTuple;
import dev.cxr.core.weights.Py.Record;
import dev.cxr.core.weights.Py.TensorRef;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state dict inside an unpickled object: a dict of tensors, a checkpoint dict holding one, or a
 * whole {@code nn.Module} whose records give the keys {@code module.state_dict()} would.
 *
 * @param tensors the state-dict keys in order, each with its tensor still to read
 * @param attributes simple values beside them: String, Boolean, Long, Double, lists of those, and
 *     TensorRefs
 */
record PickledStateDict(Map<String, TensorRef> tensors, Map<String, Object> attributes) {
  /** Longest state-dict key read (real ones are under 200 characters). */
  static final int MAX_KEY_CHARS = 1024;

  /** The keys under which a checkpoint dict holds the model's state, in the order tried. */
  static final List<String> CHECKPOINT_KEYS = List.of("state_dict", "model_state_dict", "model");

  /**
   * Finds the state dict in an unpickled object.
   *
   * @param file the file, named in errors
   * @param limits the limits (tensor count, nesting depth)
   * @param root what the pickle held
   * @return the tensors and attributes
   */
  static PickledStateDict of(Path file, WeightLimits limits, Object root) {
    Walker w = new Walker(file, limits);
    Object target = root;
    if (root instanceof PyDict d) {
      for (String key : CHECKPOINT_KEYS) {
        Object v = d.map.get(key);
        if (v instanceof PyDict || (v instanceof Record r && isModule(r))) {
          target = v;
          // the checkpoint's other simple entries (epoch, arch, ...) as attributes
          for (Map.Entry<Object, Object> e : d.map.entrySet()) {
            if (e.getKey() instanceof String k && !k.equals(key)) {
              w.attribute(k, e.getValue());
            }
          }
          break;
        }
      }
    }
    if (target instanceof Record r) {
      if (!isModule(r)) {
        throw new CxrDataException(
            file,
            "holds a "
                + Unpickler.quote(r.type.fullName())
                + ", which is not an nn.Module (no _parameters, _buffers or _modules)");
      }
      w.module(r);
      for (Map.Entry<String, Object> e : r.dict.entrySet()) {
        if (!e.getKey().startsWith("_")) {
          w.attribute(e.getKey(), e.getValue());
        }
      }
    } else if (target instanceof PyDict d) {
      for (Map.Entry<Object, Object> e : d.map.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          throw new CxrDataException(
              file, "a state-dict key that is a " + Py.typeName(e.getKey()) + ", not a str");
        }
        if (e.getValue() instanceof TensorRef t) {
          w.tensor(k, t);
        } else {
          w.attribute(k, e.getValue());
        }
      }
    } else {
      throw new CxrDataException(
          file,
          "holds a "
              + Unpickler.quote(Py.typeName(target))
              + ", not a state dict, checkpoint dict or nn.Module");
    }
    if (w.tensors.isEmpty()) {
      throw new CxrDataException(file, "holds no tensors");
    }
    return new PickledStateDict(w.tensors, w.attributes);
  }

  private static boolean isModule(Record r) {
    return r.dict.get("_parameters") instanceof PyDict
        || r.dict.get("_buffers") instanceof PyDict
        || r.dict.get("_modules") instanceof PyDict;
  }

  /** Collects the entries and attributes; walks modules with a loop, bounded by the limits. */
  private static final class Walker {
    private final Path file;
    private final WeightLimits limits;
    private final Map<String, TensorRef> tensors = new LinkedHashMap<>();
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    Walker(Path file, WeightLimits limits) {
      this.file = file;
      this.limits = limits;
    }

    /**
     * As {@code module.state_dict()}: each module's parameters, then its persistent buffers, then
     * its submodules, depth first. A loop with its own stack: a module nested (or cycling) deeper
     * than the depth limit, or more modules visited than {@link WeightLimits#maxTensors()}, is
     * refused (a module shared in several places is visited, and keyed, in each).
     */
    void module(Record root) {
      record Frame(Record module, String prefix, int depth) {}
      Deque<Frame> todo = new ArrayDeque<>();
      todo.push(new Frame(root, "", 0));
      int visits = 0;
      while (!todo.isEmpty()) {
        Frame f = todo.pop();
        Record m = f.module();
        String prefix = f.prefix();
        if (f.depth() > limits.maxPickleDepth()) {
          throw new CxrDataException(
              file,
              "modules nested deeper than "
                  + limits.maxPickleDepth()
                  + " (WeightLimits.maxPickleDepth)");
        }
        if (++visits > limits.maxTensors()) {
          throw new CxrDataException(
              file, "more than " + limits.maxTensors() + " modules (WeightLimits.maxTensors)");
        }
        for (Map.Entry<Object, Object> e : entries(m, "_parameters", prefix)) {
          if (e.getValue() != null) {
            String key = key(prefix, e.getKey());
            tensor(key, tensorOf(e.getValue(), key));
          }
        }
        Object np = m.dict.get("_non_persistent_buffers_set");
        Set<Object> nonPersistent = np instanceof PySet s ? s.items : Set.of();
        for (Map.Entry<Object, Object> e : entries(m, "_buffers", prefix)) {
          if (e.getValue() != null && !nonPersistent.contains(e.getKey())) {
            String key = key(prefix, e.getKey());
            tensor(key, tensorOf(e.getValue(), key));
          }
        }
        List<Frame> subs = new ArrayList<>();
        for (Map.Entry<Object, Object> e : entries(m, "_modules", prefix)) {
          Object sub = e.getValue();
          if (sub == null) {
            continue;
          }
          String name = key(prefix, e.getKey());
          if (!(sub instanceof Record r) || !isModule(r)) {
            throw new CxrDataException(
                file,
                "submodule "
                    + Unpickler.quote(name)
                    + " is a "
                    + Unpickler.quote(Py.typeName(sub))
                    + ", not an nn.Module");
          }
          subs.add(new Frame(r, name + ".", f.depth() + 1));
        }
        for (int i = subs.size() - 1; i >= 0; i--) {
          todo.push(subs.get(i));
        }
      }
    }

    private String key(String prefix, Object name) {
      String key = prefix + name;
      if (key.length() > MAX_KEY_CHARS) {
        throw new CxrDataException(
            file,
            "a state-dict key longer than "
                + MAX_KEY_CHARS
                + " characters: "
                + Unpickler.quote(key.substring(0, 60))
                + "...");
      }
      return key;
    }

    private List<Map.Entry<Object, Object>> entries(Record m, String field, String prefix) {
      Object v = m.dict.get(field);
      if (v == null) {
        return List.of();
      }
      if (!(v instanceof PyDict d)) {
        throw new CxrDataException(
            file,
            "module "
                + (prefix.isEmpty() ? "(root)" : Unpickler.quote(prefix))
                + " has a "
                + field
                + " that is a "
                + Unpickler.quote(Py.typeName(v))
                + ", not a dict");
      }
      List<Map.Entry<Object, Object>> out = new ArrayList<>(d.map.entrySet());
      for (Map.Entry<Object, Object> e : out) {
        if (!(e.getKey() instanceof String)) {
          throw new CxrDataException(
              file,
              "module "
                  + (prefix.isEmpty() ? "(root)" : Unpickler.quote(prefix))
                  + " has a "
                  + field
                  + " key that is a "
                  + Py.typeName(e.getKey()));
        }
      }
      return out;
    }

    private TensorRef tensorOf(Object o, String key) {
      if (o instanceof TensorRef t) {
        return t;
      }
      throw new CxrDataException(
          file,
          Unpickler.quote(key) + " is a " + Unpickler.quote(Py.typeName(o)) + ", not a tensor");
    }

    void tensor(String key, TensorRef t) {
      key(key, "");
      if (!tensors.containsKey(key) && tensors.size() >= limits.maxTensors()) {
        throw new CxrDataException(
            file, "more than " + limits.maxTensors() + " tensors (WeightLimits.maxTensors)");
      }
      tensors.put(key, t);
    }

    /** Keeps a simple value (scalar, list of scalars, tensor); ignores anything else. */
    void attribute(String name, Object v) {
      if (v instanceof String
          || v instanceof Boolean
          || v instanceof Long
          || v instanceof Double
          || v instanceof TensorRef) {
        attributes.put(name, v);
      } else if (v instanceof PyList || v instanceof PyTuple) {
        List<Object> items = v instanceof PyList l ? l.items : ((PyTuple) v).items;
        List<Object> simple = new ArrayList<>(items.size());
        for (Object o : items) {
          if (!(o instanceof String
              || o instanceof Boolean
              || o instanceof Long
              || o instanceof Double)) {
            return;
          }
          simple.add(o);
        }
        attributes.put(name, List.copyOf(simple));
      }
    }
  }
}
