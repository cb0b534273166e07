package dev.cxr.core.weights;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The inert values a restricted pickle is read into. Nothing here runs code: a module's class is a
 * {@link Global} name, an instance a {@link Record} holding its {@code __dict__}, a tensor a {@link
 * TensorRef} to bytes read later. Python's None is Java's null; ints are Long (or BigInteger),
 * floats Double, str String, bool Boolean, bytes {@link Bytes}. Each container knows how deep it
 * nests, so that the unpickler can refuse a deep file as it is built, without recursion.
 */
final class Py {
  private Py() {}

  /** A container: its depth is 1 plus the deepest container inside it. */
  abstract static class Container {
    int depth = 1;
  }

  /** A Python list. */
  static final class PyList extends Container {
    final List<Object> items = new ArrayList<>();
  }

  /** A Python tuple (immutable once built). */
  static final class PyTuple extends Container {
    final List<Object> items;

    PyTuple(List<Object> items) {
      this.items = items;
    }

    int size() {
      return items.size();
    }

    Object get(int i) {
      return items.get(i);
    }
  }

  /** A dict or OrderedDict, in insertion order; {@code attrs} holds an OrderedDict's own state. */
  static final class PyDict extends Container {
    final Map<Object, Object> map = new LinkedHashMap<>();
    final Map<String, Object> attrs = new LinkedHashMap<>();
  }

  /** A set or frozenset. */
  static final class PySet extends Container {
    final LinkedHashSet<Object> items = new LinkedHashSet<>();
  }

  /** An instance of a record class: the class's name and the {@code __dict__} BUILD gave it. */
  static final class Record extends Container {
    final Global type;
    final Map<String, Object> dict = new LinkedHashMap<>();

    Record(Global type) {
      this.type = type;
    }
  }

  /** Python bytes. */
  record Bytes(byte[] value) {}

  /** What an allowed global stands for. */
  enum Kind {
    ORDERED_DICT,
    SET,
    FROZENSET,
    OBJECT,
    RECONSTRUCTOR,
    REBUILD_TENSOR,
    REBUILD_TENSOR_V2,
    REBUILD_PARAMETER,
    REBUILD_PARAMETER_WITH_STATE,
    REBUILD_FROM_TYPE_V2,
    TENSOR_TYPE,
    PARAMETER,
    STORAGE,
    SIZE,
    DEVICE,
    CODECS_ENCODE,
    RECORD
  }

  /**
   * A global the allow-list admitted.
   *
   * @param module the module, e.g. {@code torch._utils}
   * @param name the name in it
   * @param kind what the reader does with it
   * @param dtype the element type of a storage class, else null
   */
  record Global(String module, String name, Kind kind, DType dtype) {
    String fullName() {
      return module + "." + name;
    }
  }

  /**
   * A storage a tensor reads: the root storage's key and its declared length, and the part of it
   * the tensor sees (the whole storage, except for a legacy storage view).
   *
   * @param key the root storage's key: a zip's {@code data/<key>} entry, a legacy storage key
   * @param dtype its element type
   * @param numel the root storage's declared length in elements
   * @param viewOffset where the seen part starts, in elements
   * @param viewNumel the seen part's length in elements
   */
  record StorageRef(String key, DType dtype, long numel, long viewOffset, long viewNumel) {}

  /**
   * A tensor still to be read from its storage.
   *
   * @param storage the storage
   * @param offset the storage offset of the first element, in elements
   * @param shape the size of each dimension
   * @param stride the step of each dimension, in elements
   */
  record TensorRef(StorageRef storage, long offset, long[] shape, long[] stride) {}

  /** The depth of a value: that of a container, 0 for anything else. */
  static int depth(Object o) {
    return o instanceof Container c ? c.depth : 0;
  }

  /** Python's name of a value's type, for one-line messages (a name from the file quoted). */
  static String typeName(Object o) {
    if (o == null) {
      return "None";
    }
    if (o instanceof String) {
      return "str";
    }
    if (o instanceof Boolean) {
      return "bool";
    }
    if (o instanceof Long || o instanceof java.math.BigInteger) {
      return "int";
    }
    if (o instanceof Double) {
      return "float";
    }
    if (o instanceof Bytes) {
      return "bytes";
    }
    if (o instanceof PyList) {
      return "list";
    }
    if (o instanceof PyTuple) {
      return "tuple";
    }
    if (o instanceof PyDict) {
      return "dict";
    }
    if (o instanceof PySet) {
      return "set";
    }
    if (o instanceof Record r) {
      return Unpickler.quote(r.type.fullName());
    }
    if (o instanceof Global g) {
      return "global " + Unpickler.quote(g.fullName());
    }
    if (o instanceof TensorRef) {
      return "tensor";
    }
    if (o instanceof StorageRef) {
      return "storage";
    }
    return o.getClass().getSimpleName();
  }
}
