package dev.cxr.core.weights;

import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.weights.Py.Bytes;
import dev.cxr.core.weights.Py.Container;
import dev.cxr.core.weights.Py.Global;
import dev.cxr.core.weights.Py.Kind;
import dev.cxr.core.weights.Py.PyDict;
import dev.cxr.core.weights.Py.PyList;
import dev.cxr.core.weights.Py.PySet;
import dev.cxr.core.weights.Py.PyTuple;
import dev.cxr.core.weights.Py.Record;
import dev.cxr.core.weights.Py.StorageRef;
import dev.cxr.core.weights.Py.TensorRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@link Unpickler}'s allow-list of globals and what each one gives: {@link #resolve} admits a
 * GLOBAL only when it is listed here or is a class of a module {@link
 * WeightLimits#recordClassPrefixes()} names (an inert {@link Record}); REDUCE, NEWOBJ and BUILD on
 * an admitted global are interpreted by Java code here ({@link #call}, {@link #newObject}, {@link
 * #build}), so nothing from the file is ever called.
 */
final class PickleGlobals {
  /** The globals that are read as inert records although no record-class prefix names them. */
  static final List<String> INERT_GLOBALS =
      List.of(
          "argparse.Namespace",
          "numpy.core.multiarray.scalar",
          "numpy.core.multiarray._reconstruct",
          "numpy._core.multiarray.scalar",
          "numpy._core.multiarray._reconstruct",
          "numpy.ndarray",
          "numpy.dtype",
          "torch.nn.backends.thnn._get_thnn_function_backend");

  /** Python 2 module names and the Python 3 modules pickle loads for them (_compat_pickle). */
  private static final Map<String, String> PYTHON2_MODULES =
      Map.ofEntries(
          Map.entry("__builtin__", "builtins"),
          Map.entry("copy_reg", "copyreg"),
          Map.entry("commands", "subprocess"),
          Map.entry("exceptions", "builtins"),
          Map.entry("cPickle", "pickle"),
          Map.entry("UserDict", "collections"),
          Map.entry("UserList", "collections"),
          Map.entry("UserString", "collections"),
          Map.entry("thread", "_thread"),
          Map.entry("urllib2", "urllib.request"),
          Map.entry("httplib", "http.client"),
          Map.entry("SocketServer", "socketserver"),
          Map.entry("cStringIO", "io"),
          Map.entry("StringIO", "io"));

  private final Path file;
  private final WeightLimits limits;
  private final PickleStack stack;

  PickleGlobals(Path file, WeightLimits limits, PickleStack stack) {
    this.file = file;
    this.limits = limits;
    this.stack = stack;
  }

  /** Resolves a global against the allow-list; anything else is refused here, before any use. */
  Global resolve(String module, String name) {
    // Python 3 reads a protocol-2 pickle's Python 2 module names as their Python 3 modules
    // (pickle's fix_imports); the allow-list and the messages use the names Python would load
    String m = PYTHON2_MODULES.getOrDefault(module, module);
    String full = m + "." + name;
    Kind kind =
        switch (full) {
          case "collections.OrderedDict" -> Kind.ORDERED_DICT;
          case "builtins.set" -> Kind.SET;
          case "builtins.frozenset" -> Kind.FROZENSET;
          case "builtins.object" -> Kind.OBJECT;
          case "copyreg._reconstructor" -> Kind.RECONSTRUCTOR;
          case "_codecs.encode" -> Kind.CODECS_ENCODE;
          case "torch._utils._rebuild_tensor" -> Kind.REBUILD_TENSOR;
          case "torch._utils._rebuild_tensor_v2" -> Kind.REBUILD_TENSOR_V2;
          case "torch._utils._rebuild_parameter" -> Kind.REBUILD_PARAMETER;
          case "torch._utils._rebuild_parameter_with_state" -> Kind.REBUILD_PARAMETER_WITH_STATE;
          case "torch._tensor._rebuild_from_type_v2" -> Kind.REBUILD_FROM_TYPE_V2;
          case "torch.Tensor" -> Kind.TENSOR_TYPE;
          case "torch.nn.parameter.Parameter" -> Kind.PARAMETER;
          case "torch.Size" -> Kind.SIZE;
          case "torch.device" -> Kind.DEVICE;
          default -> null;
        };
    if (kind != null) {
      return new Global(m, name, kind, null);
    }
    if (m.equals("torch") && DType.ofStorageClass(name) != null) {
      return new Global(m, name, Kind.STORAGE, DType.ofStorageClass(name));
    }
    if (limits.isRecordModule(m) || INERT_GLOBALS.contains(full)) {
      return new Global(m, name, Kind.RECORD, null);
    }
    throw fail(
        "refused global '"
            + Unpickler.quote(full)
            + "' (not on the allow-list; cxr never runs code from a weight file)");
  }

  /** REDUCE: what an allowed callable gives, computed here; nothing is called. */
  Object call(Object func, Object argsObj, long at) {
    if (!(func instanceof Global g)) {
      throw fail("REDUCE calls a " + Py.typeName(func) + " at byte " + at);
    }
    if (!(argsObj instanceof PyTuple args)) {
      throw fail("REDUCE with " + Py.typeName(argsObj) + " arguments at byte " + at);
    }
    switch (g.kind()) {
      case ORDERED_DICT -> {
        PyDict d = new PyDict();
        if (args.size() == 1 && args.get(0) != null) {
          for (Object pair : sequence(args.get(0), "OrderedDict argument", at)) {
            List<Object> kv = sequence(pair, "OrderedDict item", at);
            if (kv.size() != 2) {
              throw fail("OrderedDict item of " + kv.size() + " values at byte " + at);
            }
            stack.setItem(d, kv.get(0), kv.get(1), at);
          }
        } else if (args.size() != 0) {
          throw arity(g, args, at);
        }
        return d;
      }
      case SET, FROZENSET -> {
        PySet s = new PySet();
        if (args.size() == 1) {
          for (Object o : sequence(args.get(0), "set argument", at)) {
            stack.addToSet(s, o);
          }
        } else if (args.size() != 0) {
          throw arity(g, args, at);
        }
        return s;
      }
      case RECONSTRUCTOR -> {
        // copyreg._reconstructor(cls, object, None): object.__new__(cls), the way protocols 0/1
        // make
        // an instance; only of a record class
        if (args.size() != 3
            || !(args.get(1) instanceof Global base)
            || base.kind() != Kind.OBJECT
            || args.get(2) != null) {
          throw fail(
              "copyreg._reconstructor with other arguments than (class, object, None) at byte "
                  + at);
        }
        return newObject(args.get(0), stack.tuple(List.of()), at);
      }
      case REBUILD_TENSOR -> {
        arityAtLeast(g, args, 4, 4, at);
        return tensor(args, at);
      }
      case REBUILD_TENSOR_V2 -> {
        // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        arityAtLeast(g, args, 6, 7, at);
        return tensor(args, at);
      }
      case REBUILD_PARAMETER, PARAMETER -> {
        // _rebuild_parameter(data, requires_grad, backward_hooks); Parameter(data[, requires_grad])
        arityAtLeast(g, args, g.kind() == Kind.PARAMETER ? 1 : 3, 3, at);
        return tensorArg(args.get(0), g, at);
      }
      case REBUILD_PARAMETER_WITH_STATE -> {
        arityAtLeast(g, args, 4, 4, at);
        return tensorArg(args.get(0), g, at);
      }
      case REBUILD_FROM_TYPE_V2 -> {
        // (func, new_type, args, state): a tensor subclass or a tensor with Python attributes
        arityAtLeast(g, args, 4, 4, at);
        if (!(args.get(1) instanceof Global t)
            || (t.kind() != Kind.TENSOR_TYPE && t.kind() != Kind.PARAMETER)) {
          throw fail("_rebuild_from_type_v2 of a " + Py.typeName(args.get(1)) + " at byte " + at);
        }
        if (!(args.get(0) instanceof Global f)
            || (f.kind() != Kind.REBUILD_TENSOR_V2 && f.kind() != Kind.REBUILD_TENSOR)) {
          throw fail("_rebuild_from_type_v2 with a " + Py.typeName(args.get(0)) + " at byte " + at);
        }
        return call(f, args.get(2), at);
      }
      case SIZE -> {
        arityAtLeast(g, args, 1, 1, at);
        return stack.tuple(sequence(args.get(0), "torch.Size argument", at));
      }
      case DEVICE -> {
        arityAtLeast(g, args, 1, 2, at);
        if (!(args.get(0) instanceof String type)) {
          throw fail("torch.device of a " + Py.typeName(args.get(0)) + " at byte " + at);
        }
        return args.size() == 2 && args.get(1) != null ? type + ":" + args.get(1) : type;
      }
      case CODECS_ENCODE -> {
        // _codecs.encode(text, 'latin1'): how protocol 2 writes Python 3 bytes
        arityAtLeast(g, args, 2, 2, at);
        if (!(args.get(0) instanceof String text)
            || !(args.get(1) instanceof String enc)
            || !(enc.equals("latin1") || enc.equals("latin-1"))) {
          throw fail("_codecs.encode with other arguments than (str, 'latin1') at byte " + at);
        }
        return new Bytes(text.getBytes(StandardCharsets.ISO_8859_1));
      }
      case RECORD -> {
        Record r = new Record(g);
        r.dict.put("__args__", args);
        r.depth = args.depth + 1;
        stack.checkDepth(r.depth, at);
        return r;
      }
      default ->
          throw fail(
              "REDUCE calls "
                  + Unpickler.quote(g.fullName())
                  + ", which is not callable here, at byte "
                  + at);
    }
  }

  /** NEWOBJ: {@code cls.__new__(cls, *args)}, for a record class or a container type. */
  Object newObject(Object cls, Object args, long at) {
    if (cls instanceof Global g) {
      switch (g.kind()) {
        case RECORD -> {
          return new Record(g);
        }
        case ORDERED_DICT -> {
          return new PyDict();
        }
        case SET, FROZENSET -> {
          return new PySet();
        }
        default -> {
          // no other class is instantiated
        }
      }
    }
    throw fail("NEWOBJ of a " + Py.typeName(cls) + " at byte " + at + " (only module records)");
  }

  /** BUILD: a record's {@code __dict__} (or an OrderedDict's attributes) from the state. */
  void build(Object target, Object state, long at) {
    if (target instanceof TensorRef) {
      return; // a tensor's Python attributes: nothing a state dict needs
    }
    if (state instanceof PyTuple t && t.size() == 2) {
      // (state, slotstate): two dicts of attributes, either may be None
      buildFrom(target, t.get(0), at);
      buildFrom(target, t.get(1), at);
    } else {
      buildFrom(target, state, at);
    }
  }

  private void buildFrom(Object target, Object dictState, long at) {
    if (dictState == null) {
      return;
    }
    if (!(dictState instanceof PyDict d)) {
      if (target instanceof Record r) {
        r.dict.put("__state__", dictState); // e.g. numpy.dtype's tuple state: kept, never read
        r.depth = Math.max(r.depth, Py.depth(dictState) + 1);
        stack.checkDepth(r.depth, at);
        return;
      }
      throw fail("BUILD with a " + Py.typeName(dictState) + " state at byte " + at);
    }
    Map<String, Object> into;
    Container c;
    if (target instanceof Record r) {
      into = r.dict;
      c = r;
    } else if (target instanceof PyDict od) {
      into = od.attrs;
      c = od;
    } else {
      throw fail("BUILD on a " + Py.typeName(target) + " at byte " + at);
    }
    for (Map.Entry<Object, Object> e : d.map.entrySet()) {
      if (!(e.getKey() instanceof String k)) {
        throw fail(
            "BUILD with an attribute named by a " + Py.typeName(e.getKey()) + " at byte " + at);
      }
      into.put(k, e.getValue());
    }
    c.depth = Math.max(c.depth, d.depth + 1);
    stack.checkDepth(c.depth, at);
  }

  /** The tensor of {@code _rebuild_tensor(_v2)}: storage, offset, size, stride. */
  private TensorRef tensor(PyTuple args, long at) {
    if (!(args.get(0) instanceof StorageRef storage)) {
      throw fail(
          "a tensor rebuilt from a "
              + Py.typeName(args.get(0))
              + " at byte "
              + at
              + " (a storage expected)");
    }
    long offset = integer(args.get(1), "storage offset", at);
    long[] shape = longs(args.get(2), "size", at);
    long[] stride = longs(args.get(3), "stride", at);
    if (shape.length != stride.length) {
      throw fail(
          "a tensor of size "
              + Arrays.toString(shape)
              + " with stride "
              + Arrays.toString(stride)
              + " at byte "
              + at);
    }
    return new TensorRef(storage, offset, shape, stride);
  }

  private TensorRef tensorArg(Object o, Global g, long at) {
    if (!(o instanceof TensorRef t)) {
      throw fail(
          Unpickler.quote(g.fullName())
              + " of a "
              + Py.typeName(o)
              + " at byte "
              + at
              + " (a tensor expected)");
    }
    return t;
  }

  private long[] longs(Object o, String what, long at) {
    List<Object> items = sequence(o, what, at);
    long[] v = new long[items.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = integer(items.get(i), what, at);
    }
    return v;
  }

  private long integer(Object o, String what, long at) {
    if (o instanceof Long l) {
      return l;
    }
    throw fail(what + " is a " + Py.typeName(o) + ", not an int, at byte " + at);
  }

  private List<Object> sequence(Object o, String what, long at) {
    if (o instanceof PyTuple t) {
      return t.items;
    }
    if (o instanceof PyList l) {
      return l.items;
    }
    throw fail(what + " is a " + Py.typeName(o) + ", not a tuple or list, at byte " + at);
  }

  private CxrDataException arity(Global g, PyTuple args, long at) {
    return fail(
        Unpickler.quote(g.fullName()) + " with " + args.size() + " arguments at byte " + at);
  }

  private void arityAtLeast(Global g, PyTuple args, int min, int max, long at) {
    if (args.size() < min || args.size() > max) {
      throw arity(g, args, at);
    }
  }

  private CxrDataException fail(String message) {
    return new CxrDataException(file, message);
  }
}
