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
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A restricted unpickler: reads one pickle into inert {@link Py} values and runs nothing.
 *
 * <p>Two allow-lists guard it. Opcodes: the binary ones of protocols 2 to 5 that {@code torch.save}
 * and Python's pickler write (PROTO, FRAME, STOP, MARK, POP, POP_MARK, the empty containers,
 * TUPLE/TUPLE1-3, LIST items by APPEND(S), dict items by SETITEM(S), set items by ADDITEMS,
 * FROZENSET, the binary ints, LONG1, BINFLOAT, NEWTRUE/NEWFALSE, NONE, the binary strings and
 * bytes, the memo (BINPUT, LONG_BINPUT, MEMOIZE, BINGET, LONG_BINGET), GLOBAL/STACK_GLOBAL, REDUCE,
 * NEWOBJ/NEWOBJ_EX, BUILD and BINPERSID); any other opcode (protocol 0's text opcodes, INST/OBJ,
 * EXT1-4, LONG4, out-of-band buffers) is refused, named. Globals: only those listed in {@link
 * #resolve}, each interpreted by Java code here, and the classes of the modules {@link
 * WeightLimits#recordClassPrefixes()} names, which become inert {@link Record}s; any other global
 * is refused when the pickle names it, before anything could call it.
 *
 * <p>Before anything is allocated: string and bytes lengths are checked against the bytes left, the
 * memo against {@link WeightLimits#maxMemoEntries()}, the opcodes against {@link
 * WeightLimits#maxPickleOpcodes()}, open MARKs and the nesting of containers against {@link
 * WeightLimits#maxPickleDepth()} (the reader is a loop; deep input is refused, not a stack
 * overflow).
 */
final class Unpickler {
  /** Longest text of a GLOBAL opcode (module and name). */
  private static final int MAX_GLOBAL_CHARS = 1000;

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
  private final PickleInput in;
  private final Function<Object, Object> persistentLoad;
  private final List<Object> stack = new ArrayList<>();
  private int[] marks = new int[16];
  private int markCount;
  private final Map<Long, Object> memo = new HashMap<>();
  private long opcodes;

  /**
   * @param file the file, named in errors
   * @param limits the limits
   * @param in the bytes
   * @param persistentLoad what a persistent id (BINPERSID) stands for; null refuses them
   */
  Unpickler(
      Path file, WeightLimits limits, PickleInput in, Function<Object, Object> persistentLoad) {
    this.file = file;
    this.limits = limits;
    this.in = in;
    this.persistentLoad = persistentLoad;
  }

  /** Reads one pickle, up to and including its STOP. */
  Object load() {
    stack.clear();
    markCount = 0;
    memo.clear();
    opcodes = 0;
    while (true) {
      long at = in.position();
      int op = in.u8();
      if (++opcodes > limits.maxPickleOpcodes()) {
        throw fail(
            "more than "
                + limits.maxPickleOpcodes()
                + " pickle opcodes (WeightLimits.maxPickleOpcodes)");
      }
      switch (op) {
        case 0x80 -> { // PROTO
          int proto = in.u8();
          if (proto < 2 || proto > 5) {
            throw fail("pickle protocol " + proto + " at byte " + at + " (2 to 5 are read)");
          }
        }
        case 0x95 -> { // FRAME
          long n = in.le(8);
          if (n < 0 || n > in.remaining()) {
            throw fail("pickle frame of " + n + " bytes at byte " + at + " runs past the end");
          }
        }
        case '.' -> { // STOP
          if (stack.size() != 1 || markCount != 0) {
            throw fail(
                "malformed pickle: STOP at byte "
                    + at
                    + " with "
                    + stack.size()
                    + " values on the stack");
          }
          return stack.remove(0);
        }
        case '(' -> mark();
        case '0' -> { // POP: the top value, or the MARK of an empty frame
          if (markCount > 0 && marks[markCount - 1] == stack.size()) {
            popMark();
          } else {
            pop();
          }
        }
        case '1' -> popMark(); // POP_MARK
        case '}' -> push(new PyDict()); // EMPTY_DICT
        case ']' -> push(new PyList()); // EMPTY_LIST
        case ')' -> push(tuple(List.of())); // EMPTY_TUPLE
        case 0x8f -> push(new PySet()); // EMPTY_SET
        case 't' -> push(tuple(popMark())); // TUPLE
        case 0x85 -> push(tuple(popN(1))); // TUPLE1
        case 0x86 -> push(tuple(popN(2))); // TUPLE2
        case 0x87 -> push(tuple(popN(3))); // TUPLE3
        case 0x91 -> { // FROZENSET
          PySet s = new PySet();
          for (Object o : popMark()) {
            addToSet(s, o);
          }
          push(s);
        }
        case 0x90 -> { // ADDITEMS
          List<Object> items = popMark();
          if (!(peek() instanceof PySet s)) {
            throw fail("ADDITEMS on a " + Py.typeName(peek()) + " at byte " + at);
          }
          for (Object o : items) {
            addToSet(s, o);
          }
        }
        case 'a' -> append(pop(), at); // APPEND
        case 'e' -> { // APPENDS
          List<Object> items = popMark();
          for (Object o : items) {
            append(o, at);
          }
        }
        case 's' -> { // SETITEM
          Object v = pop();
          Object k = pop();
          setItem(k, v, at);
        }
        case 'u' -> { // SETITEMS
          List<Object> items = popMark();
          if (items.size() % 2 != 0) {
            throw fail("SETITEMS with an odd number of values at byte " + at);
          }
          for (int i = 0; i < items.size(); i += 2) {
            setItem(items.get(i), items.get(i + 1), at);
          }
        }
        case 'K' -> push((long) in.u8()); // BININT1
        case 'M' -> push(in.le(2)); // BININT2
        case 'J' -> push((long) (int) in.le(4)); // BININT
        case 0x8a -> push(long1(in.u8())); // LONG1
        case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.le(8)))); // BINFLOAT
        case 0x88 -> push(Boolean.TRUE); // NEWTRUE
        case 0x89 -> push(Boolean.FALSE); // NEWFALSE
        case 'N' -> push(null); // NONE
        case 0x8c -> push(utf8(in.bytes(in.u8(), "string"), at)); // SHORT_BINUNICODE
        case 'X' -> push(utf8(in.bytes(in.le(4), "string"), at)); // BINUNICODE
        case 0x8d -> push(utf8(in.bytes(in.le(8), "string"), at)); // BINUNICODE8
        case 'U' -> push(utf8(in.bytes(in.u8(), "string"), at)); // SHORT_BINSTRING (Python 2 str)
        case 'T' -> push(utf8(in.bytes(signed4(in.le(4), at), "string"), at)); // BINSTRING
        case 'C' -> push(new Bytes(in.bytes(in.u8(), "bytes"))); // SHORT_BINBYTES
        case 'B' -> push(new Bytes(in.bytes(in.le(4), "bytes"))); // BINBYTES
        case 0x8e -> push(new Bytes(in.bytes(in.le(8), "bytes"))); // BINBYTES8
        case 'q' -> put(in.u8(), at); // BINPUT
        case 'r' -> put(in.le(4), at); // LONG_BINPUT
        case 0x94 -> put(memo.size(), at); // MEMOIZE
        case 'h' -> get(in.u8(), at); // BINGET
        case 'j' -> get(in.le(4), at); // LONG_BINGET
        case 'c' -> { // GLOBAL
          String module = in.line(MAX_GLOBAL_CHARS);
          String name = in.line(MAX_GLOBAL_CHARS);
          push(resolve(module, name));
        }
        case 0x93 -> { // STACK_GLOBAL
          Object name = pop();
          Object module = pop();
          if (!(module instanceof String m) || !(name instanceof String n)) {
            throw fail(
                "STACK_GLOBAL of a "
                    + Py.typeName(module)
                    + " and a "
                    + Py.typeName(name)
                    + " at byte "
                    + at);
          }
          push(resolve(m, n));
        }
        case 'R' -> { // REDUCE
          Object args = pop();
          Object func = pop();
          push(call(func, args, at));
        }
        case 0x81 -> { // NEWOBJ
          Object args = pop();
          Object cls = pop();
          push(newObject(cls, args, at));
        }
        case 0x92 -> { // NEWOBJ_EX
          pop(); // kwargs: a record keeps none
          Object args = pop();
          Object cls = pop();
          push(newObject(cls, args, at));
        }
        case 'b' -> { // BUILD
          Object state = pop();
          build(peek(), state, at);
        }
        case 'Q' -> { // BINPERSID
          Object pid = pop();
          if (persistentLoad == null) {
            throw fail("a persistent id at byte " + at + " in a pickle that may hold none");
          }
          push(persistentLoad.apply(pid));
        }
        default ->
            throw fail(
                "refused pickle opcode "
                    + opcodeName(op)
                    + " at byte "
                    + at
                    + " (not on the allow-list)");
      }
    }
  }

  /** Resolves a global against the allow-list; anything else is refused here, before any use. */
  private Global resolve(String module, String name) {
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
            + quote(full)
            + "' (not on the allow-list; cxr never runs code from a weight file)");
  }

  /** REDUCE: what an allowed callable gives, computed here; nothing is called. */
  private Object call(Object func, Object argsObj, long at) {
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
            setItem(d, kv.get(0), kv.get(1), at);
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
            addToSet(s, o);
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
        return newObject(args.get(0), tuple(List.of()), at);
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
        return tuple(sequence(args.get(0), "torch.Size argument", at));
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
        checkDepth(r.depth, at);
        return r;
      }
      default ->
          throw fail(
              "REDUCE calls "
                  + quote(g.fullName())
                  + ", which is not callable here, at byte "
                  + at);
    }
  }

  /** NEWOBJ: {@code cls.__new__(cls, *args)}, for a record class or a container type. */
  private Object newObject(Object cls, Object args, long at) {
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
  private void build(Object target, Object state, long at) {
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
        checkDepth(r.depth, at);
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
    checkDepth(c.depth, at);
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
          quote(g.fullName())
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

  private void append(Object item, long at) {
    if (!(peek() instanceof PyList list)) {
      throw fail("APPEND to a " + Py.typeName(peek()) + " at byte " + at);
    }
    list.items.add(item);
    list.depth = Math.max(list.depth, Py.depth(item) + 1);
    checkDepth(list.depth, at);
  }

  private void setItem(Object k, Object v, long at) {
    if (!(peek() instanceof PyDict d)) {
      throw fail("SETITEM on a " + Py.typeName(peek()) + " at byte " + at);
    }
    setItem(d, k, v, at);
  }

  private void setItem(PyDict d, Object k, Object v, long at) {
    if (!hashable(k)) {
      throw fail(
          "a dict key of type "
              + Py.typeName(k)
              + " at byte "
              + at
              + " (str, int, float, bool or None are read)");
    }
    d.map.put(k, v);
    d.depth = Math.max(d.depth, Py.depth(v) + 1);
    checkDepth(d.depth, at);
  }

  private void addToSet(PySet s, Object o) {
    if (!hashable(o)) {
      throw fail(
          "a set item of type " + Py.typeName(o) + " (str, int, float, bool or None are read)");
    }
    s.items.add(o);
  }

  /** Keys are scalars only: hashing them never recurses into a hostile structure. */
  private static boolean hashable(Object k) {
    return k == null
        || k instanceof String
        || k instanceof Long
        || k instanceof BigInteger
        || k instanceof Double
        || k instanceof Boolean;
  }

  private PyTuple tuple(List<Object> items) {
    PyTuple t = new PyTuple(Collections.unmodifiableList(new ArrayList<>(items)));
    for (Object o : items) {
      t.depth = Math.max(t.depth, Py.depth(o) + 1);
    }
    checkDepth(t.depth, in.position());
    return t;
  }

  private void checkDepth(int depth, long at) {
    if (depth > limits.maxPickleDepth()) {
      throw fail(
          "pickle nested deeper than "
              + limits.maxPickleDepth()
              + " at byte "
              + at
              + " (WeightLimits.maxPickleDepth)");
    }
  }

  private Object long1(int n) {
    byte[] b = in.bytes(n, "LONG1");
    if (n == 0) {
      return 0L;
    }
    byte[] be = new byte[n];
    for (int i = 0; i < n; i++) {
      be[i] = b[n - 1 - i];
    }
    BigInteger v = new BigInteger(be);
    return v.bitLength() < 64 ? (Object) v.longValue() : v;
  }

  private long signed4(long v, long at) {
    int n = (int) v;
    if (n < 0) {
      throw fail("negative string length at byte " + at);
    }
    return n;
  }

  private String utf8(byte[] b, long at) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      throw fail("a string that is not UTF-8 at byte " + at);
    }
  }

  private void put(long index, long at) {
    if (stack.isEmpty()) {
      throw fail("memo PUT on an empty stack at byte " + at);
    }
    if (!memo.containsKey(index) && memo.size() >= limits.maxMemoEntries()) {
      throw fail(
          "more than " + limits.maxMemoEntries() + " memo entries (WeightLimits.maxMemoEntries)");
    }
    memo.put(index, peek());
  }

  private void get(long index, long at) {
    if (!memo.containsKey(index)) {
      throw fail("memo GET of " + index + ", which was never PUT, at byte " + at);
    }
    push(memo.get(index));
  }

  private void push(Object o) {
    stack.add(o);
  }

  private Object peek() {
    int n = stack.size();
    if (n == 0 || (markCount > 0 && marks[markCount - 1] == n)) {
      throw fail("malformed pickle: the stack is empty at byte " + in.position());
    }
    return stack.get(n - 1);
  }

  private Object pop() {
    Object o = peek();
    stack.remove(stack.size() - 1);
    return o;
  }

  private List<Object> popN(int n) {
    int base = stack.size() - n;
    if (base < 0 || (markCount > 0 && marks[markCount - 1] > base)) {
      throw fail("malformed pickle: too few values on the stack at byte " + in.position());
    }
    List<Object> items = new ArrayList<>(stack.subList(base, stack.size()));
    stack.subList(base, stack.size()).clear();
    return items;
  }

  private void mark() {
    if (markCount >= limits.maxPickleDepth()) {
      throw fail(
          "pickle nested deeper than "
              + limits.maxPickleDepth()
              + " MARKs at byte "
              + (in.position() - 1)
              + " (WeightLimits.maxPickleDepth)");
    }
    if (markCount == marks.length) {
      marks = Arrays.copyOf(marks, marks.length * 2);
    }
    marks[markCount++] = stack.size();
  }

  private List<Object> popMark() {
    if (markCount == 0) {
      throw fail("malformed pickle: no MARK at byte " + in.position());
    }
    int base = marks[--markCount];
    List<Object> items = new ArrayList<>(stack.subList(base, stack.size()));
    stack.subList(base, stack.size()).clear();
    return items;
  }

  private CxrDataException arity(Global g, PyTuple args, long at) {
    return fail(quote(g.fullName()) + " with " + args.size() + " arguments at byte " + at);
  }

  private void arityAtLeast(Global g, PyTuple args, int min, int max, long at) {
    if (args.size() < min || args.size() > max) {
      throw arity(g, args, at);
    }
  }

  private CxrDataException fail(String message) {
    return new CxrDataException(file, message);
  }

  /** A name from the file, made safe for a one-line message: printable, at most 200 chars. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < 200; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isISOControl(c)) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return s.length() > 200 ? sb + "..." : sb.toString();
  }

  /** pickletools' name of an opcode, for the refusal. */
  static String opcodeName(int op) {
    String name =
        switch (op) {
          case 'I' -> "INT";
          case 'L' -> "LONG";
          case 'F' -> "FLOAT";
          case 'S' -> "STRING";
          case 'V' -> "UNICODE";
          case 'l' -> "LIST";
          case 'd' -> "DICT";
          case 'p' -> "PUT";
          case 'g' -> "GET";
          case 'i' -> "INST";
          case 'o' -> "OBJ";
          case 'P' -> "PERSID";
          case '2' -> "DUP";
          case 0x82 -> "EXT1";
          case 0x83 -> "EXT2";
          case 0x84 -> "EXT4";
          case 0x8b -> "LONG4";
          case 0x96 -> "BYTEARRAY8";
          case 0x97 -> "NEXT_BUFFER";
          case 0x98 -> "READONLY_BUFFER";
          default -> null;
        };
    String code = String.format("0x%02x", op);
    return name == null ? code : name + " (" + code + ")";
  }
}
