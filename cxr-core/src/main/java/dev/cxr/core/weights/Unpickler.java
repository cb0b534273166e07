package dev.cxr.core.weights;

import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.weights.Py.Bytes;
import dev.cxr.core.weights.Py.PyDict;
import dev.cxr.core.weights.Py.PyList;
import dev.cxr.core.weights.Py.PySet;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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
 * PickleGlobals#resolve}, each interpreted by Java code there, and the classes of the modules
 * {@link WeightLimits#recordClassPrefixes()} names, which become inert {@link Record}s; any other
 * global is refused when the pickle names it, before anything could call it.
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

  private final Path file;
  private final WeightLimits limits;
  private final PickleInput in;
  private final Function<Object, Object> persistentLoad;
  private final PickleStack stack;
  private final PickleGlobals globals;
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
    this.stack = new PickleStack(file, limits, in);
    this.globals = new PickleGlobals(file, limits, stack);
  }

  /** Reads one pickle, up to and including its STOP. */
  Object load() {
    stack.clear();
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
          return stack.finish(at);
        }
        case '(' -> stack.mark();
        case '0' -> stack.popValueOrMark(); // POP: the top value, or the MARK of an empty frame
        case '1' -> stack.popMark(); // POP_MARK
        case '}' -> stack.push(new PyDict()); // EMPTY_DICT
        case ']' -> stack.push(new PyList()); // EMPTY_LIST
        case ')' -> stack.push(stack.tuple(List.of())); // EMPTY_TUPLE
        case 0x8f -> stack.push(new PySet()); // EMPTY_SET
        case 't' -> stack.push(stack.tuple(stack.popMark())); // TUPLE
        case 0x85 -> stack.push(stack.tuple(stack.popN(1))); // TUPLE1
        case 0x86 -> stack.push(stack.tuple(stack.popN(2))); // TUPLE2
        case 0x87 -> stack.push(stack.tuple(stack.popN(3))); // TUPLE3
        case 0x91 -> { // FROZENSET
          PySet s = new PySet();
          for (Object o : stack.popMark()) {
            stack.addToSet(s, o);
          }
          stack.push(s);
        }
        case 0x90 -> { // ADDITEMS
          List<Object> items = stack.popMark();
          if (!(stack.peek() instanceof PySet s)) {
            throw fail("ADDITEMS on a " + Py.typeName(stack.peek()) + " at byte " + at);
          }
          for (Object o : items) {
            stack.addToSet(s, o);
          }
        }
        case 'a' -> stack.append(stack.pop(), at); // APPEND
        case 'e' -> { // APPENDS
          List<Object> items = stack.popMark();
          for (Object o : items) {
            stack.append(o, at);
          }
        }
        case 's' -> { // SETITEM
          Object v = stack.pop();
          Object k = stack.pop();
          stack.setItem(k, v, at);
        }
        case 'u' -> { // SETITEMS
          List<Object> items = stack.popMark();
          if (items.size() % 2 != 0) {
            throw fail("SETITEMS with an odd number of values at byte " + at);
          }
          for (int i = 0; i < items.size(); i += 2) {
            stack.setItem(items.get(i), items.get(i + 1), at);
          }
        }
        case 'K' -> stack.push((long) in.u8()); // BININT1
        case 'M' -> stack.push(in.le(2)); // BININT2
        case 'J' -> stack.push((long) (int) in.le(4)); // BININT
        case 0x8a -> stack.push(long1(in.u8())); // LONG1
        case 'G' -> stack.push(Double.longBitsToDouble(Long.reverseBytes(in.le(8)))); // BINFLOAT
        case 0x88 -> stack.push(Boolean.TRUE); // NEWTRUE
        case 0x89 -> stack.push(Boolean.FALSE); // NEWFALSE
        case 'N' -> stack.push(null); // NONE
        case 0x8c -> stack.push(utf8(in.bytes(in.u8(), "string"), at)); // SHORT_BINUNICODE
        case 'X' -> stack.push(utf8(in.bytes(in.le(4), "string"), at)); // BINUNICODE
        case 0x8d -> stack.push(utf8(in.bytes(in.le(8), "string"), at)); // BINUNICODE8
        case 'U' ->
            stack.push(utf8(in.bytes(in.u8(), "string"), at)); // SHORT_BINSTRING (Python 2 str)
        case 'T' -> stack.push(utf8(in.bytes(signed4(in.le(4), at), "string"), at)); // BINSTRING
        case 'C' -> stack.push(new Bytes(in.bytes(in.u8(), "bytes"))); // SHORT_BINBYTES
        case 'B' -> stack.push(new Bytes(in.bytes(in.le(4), "bytes"))); // BINBYTES
        case 0x8e -> stack.push(new Bytes(in.bytes(in.le(8), "bytes"))); // BINBYTES8
        case 'q' -> stack.put(in.u8(), at); // BINPUT
        case 'r' -> stack.put(in.le(4), at); // LONG_BINPUT
        case 0x94 -> stack.put(stack.memoSize(), at); // MEMOIZE
        case 'h' -> stack.get(in.u8(), at); // BINGET
        case 'j' -> stack.get(in.le(4), at); // LONG_BINGET
        case 'c' -> { // GLOBAL
          String module = in.line(MAX_GLOBAL_CHARS);
          String name = in.line(MAX_GLOBAL_CHARS);
          stack.push(globals.resolve(module, name));
        }
        case 0x93 -> { // STACK_GLOBAL
          Object name = stack.pop();
          Object module = stack.pop();
          if (!(module instanceof String m) || !(name instanceof String n)) {
            throw fail(
                "STACK_GLOBAL of a "
                    + Py.typeName(module)
                    + " and a "
                    + Py.typeName(name)
                    + " at byte "
                    + at);
          }
          stack.push(globals.resolve(m, n));
        }
        case 'R' -> { // REDUCE
          Object args = stack.pop();
          Object func = stack.pop();
          stack.push(globals.call(func, args, at));
        }
        case 0x81 -> { // NEWOBJ
          Object args = stack.pop();
          Object cls = stack.pop();
          stack.push(globals.newObject(cls, args, at));
        }
        case 0x92 -> { // NEWOBJ_EX
          stack.pop(); // kwargs: a record keeps none
          Object args = stack.pop();
          Object cls = stack.pop();
          stack.push(globals.newObject(cls, args, at));
        }
        case 'b' -> { // BUILD
          Object state = stack.pop();
          globals.build(stack.peek(), state, at);
        }
        case 'Q' -> { // BINPERSID
          Object pid = stack.pop();
          if (persistentLoad == null) {
            throw fail("a persistent id at byte " + at + " in a pickle that may hold none");
          }
          stack.push(persistentLoad.apply(pid));
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
