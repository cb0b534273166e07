package dev.cxr.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.io.CxrDataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The weight-file readers against fixtures written by PyTorch 1.13 ({@code
 * bench/make_weight_fixtures.py}; their values in {@code expected.json}), and hostile files, each
 * refused in one line naming the file and the reason, quickly.
 */
class WeightFilesTest {
  private static final Path DIR = Path.of("src/test/resources/weights");
  private static final String REFUSED =
      "(not on the allow-list; cxr never runs code from a weight file)";

  private static JsonNode expected;

  @TempDir Path tmp;

  @BeforeAll
  static void readExpected() throws IOException {
    expected = new ObjectMapper().readTree(DIR.resolve("expected.json").toFile());
  }

  // ---- good files ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tiny_zip.pt",
        "tiny_legacy.pt",
        "tiny.safetensors",
        "checkpoint.pt",
        "prefixed.pt"
      })
  void eachFormatGivesPyTorchsTensorsBitExact(String name) {
    StateDict sd = WeightFiles.read(DIR.resolve(name));
    assertMatches(sd, expected.get("tiny"));
    assertThat(sd.source()).isEqualTo(DIR.resolve(name));
  }

  @Test
  void theFormatIsToldFromTheBytesNotTheName() throws IOException {
    assertThat(WeightFiles.read(DIR.resolve("tiny_zip.pt")).format())
        .isEqualTo(StateDict.PYTORCH_ZIP);
    assertThat(WeightFiles.read(DIR.resolve("tiny_legacy.pt")).format())
        .isEqualTo(StateDict.PYTORCH_LEGACY);
    assertThat(WeightFiles.read(DIR.resolve("tiny.safetensors")).format())
        .isEqualTo(StateDict.SAFETENSORS);
    Path renamed = Files.copy(DIR.resolve("tiny.safetensors"), tmp.resolve("weights.pt"));
    assertThat(WeightFiles.read(renamed).format()).isEqualTo(StateDict.SAFETENSORS);
    Path legacy = Files.copy(DIR.resolve("tiny_legacy.pt"), tmp.resolve("weights.safetensors"));
    assertThat(WeightFiles.read(legacy).format()).isEqualTo(StateDict.PYTORCH_LEGACY);
  }

  @Test
  void theThreeFormatsGiveTheSameKeysInTheSameOrderAndEqualTensors() {
    StateDict zip = WeightFiles.read(DIR.resolve("tiny_zip.pt"));
    StateDict legacy = WeightFiles.read(DIR.resolve("tiny_legacy.pt"));
    StateDict st = WeightFiles.read(DIR.resolve("tiny.safetensors"));
    assertThat(legacy.keys()).isEqualTo(zip.keys());
    assertThat(st.keys()).isEqualTo(zip.keys());
    assertThat(legacy.tensors()).isEqualTo(zip.tensors());
    assertThat(st.tensors()).isEqualTo(zip.tensors());
    assertThat(zip.keys())
        .startsWith("transposed", "strided", "offset")
        .contains("conv.weight", "bn.running_var", "bn.num_batches_tracked", "fc.bias")
        .doesNotContain("scratch"); // a non-persistent buffer
  }

  @Test
  void viewsAreReadThroughTheirStridesAndOffsetAndEveryDtypeBecomesFloat() {
    StateDict sd = WeightFiles.read(DIR.resolve("tiny_zip.pt"));
    // base = arange(24) * 0.25 viewed (4, 6)
    Tensor t = sd.get("transposed"); // base[:2, :3].t()
    assertThat(t.shapeText()).isEqualTo("[3, 2]");
    assertThat(t.values()).containsExactly(0f, 1.5f, 0.25f, 1.75f, 0.5f, 2f);
    assertThat(sd.get("strided").values()).startsWith(0f, 0.5f, 1f, 1.5f, 2f, 2.5f);
    assertThat(sd.get("offset").values()).containsExactly(1.25f, 1.5f, 1.75f, 2f, 2.25f, 2.5f);
    assertThat(sd.get("bn.num_batches_tracked").dtype()).isEqualTo("int64");
    assertThat(sd.get("bn.num_batches_tracked").shapeText()).isEqualTo("[]");
    assertThat(sd.get("bn.num_batches_tracked").values()).containsExactly(17f);
    assertThat(sd.get("halves").dtype()).isEqualTo("float16");
    assertThat(sd.get("brain").dtype()).isEqualTo("bfloat16");
    assertThat(sd.get("doubles").dtype()).isEqualTo("float64");
    assertThat(sd.get("ints").values()).containsExactly(-7f, 0f, 1048576f);
    assertThat(sd.get("octets").values()).containsExactly(0f, 1f, 255f);
    assertThat(sd.get("mask").values()).containsExactly(1f, 0f, 1f);
    assertThat(sd.get("conv.weight").shapeText()).isEqualTo("[4, 1, 3, 3]");
    assertThat(sd.get("conv.weight").size()).isEqualTo(36);
    assertThatThrownBy(() -> sd.get("nope"))
        .hasMessageContaining("tiny_zip.pt")
        .hasMessageContaining("no tensor 'nope'");
  }

  @Test
  void aCheckpointDictGivesItsStateDictAndItsOtherEntriesAsAttributes() {
    StateDict sd = WeightFiles.read(DIR.resolve("checkpoint.pt"));
    assertThat(sd.keys()).isEqualTo(WeightFiles.read(DIR.resolve("tiny_zip.pt")).keys());
    assertThat(sd.attributes()).containsEntry("epoch", 3L).containsEntry("arch", "tiny");
  }

  @Test
  void aModulePrefixOnEveryKeyIsTakenOff() {
    StateDict sd = WeightFiles.read(DIR.resolve("prefixed.pt"));
    assertThat(sd.keys()).isEqualTo(WeightFiles.read(DIR.resolve("tiny_zip.pt")).keys());
    assertThat(sd.get("conv.weight").name()).isEqualTo("conv.weight");
  }

  @Test
  void safetensorsMetadataBecomesAttributes() {
    StateDict sd = WeightFiles.read(DIR.resolve("tiny.safetensors"));
    assertThat(sd.attributes())
        .containsEntry("format", "pt")
        .containsEntry("source", "make_weight_fixtures.py");
  }

  @ParameterizedTest
  @ValueSource(strings = {"xrv_module_zip.pt", "xrv_module_legacy.pt"})
  void aWholePickledModuleGivesTheKeysOfItsStateDictAndItsAttributes(String name) {
    JsonNode want = expected.get("xrv_module");
    StateDict sd = WeightFiles.read(DIR.resolve(name));
    assertMatches(sd, want);
    assertThat(sd.keys())
        .contains("features.conv0.weight", "features.denselayer1.conv2.weight", "classifier.bias")
        .doesNotContain("scratch");
    JsonNode attrs = want.get("attributes");
    assertThat(sd.attributes().get("pathologies"))
        .isEqualTo(List.of("Atelectasis", "Effusion", "Cardiomegaly"))
        .isEqualTo(strings(attrs.get("pathologies")));
    Tensor op = (Tensor) sd.attributes().get("op_threshs");
    assertThat(op.name()).isEqualTo("op_threshs");
    assertTensor(op, attrs.get("op_threshs"));
    assertThat(sd.attributes())
        .containsEntry("weights", "fake-densenet")
        .containsEntry("apply_sigmoid", false)
        .containsEntry("training", true)
        .doesNotContainKeys("unused", "_parameters", "_modules");
  }

  // ---- hostile files ----

  @Test
  void aPlainPickleCallingOsSystemIsRefusedNamingTheGlobal() {
    assertRefused(DIR.resolve("hostile_os_system.pkl"), "refused global 'posix.system' " + REFUSED);
  }

  @Test
  void aZipWhosePickleCallsEvalIsRefused() {
    assertRefused(DIR.resolve("hostile_eval.pt"), "refused global 'builtins.eval' " + REFUSED);
  }

  @Test
  void aLegacyFileWhosePickleOpensAProcessIsRefused() {
    assertRefused(DIR.resolve("hostile_popen.pt"), "refused global 'subprocess.Popen' " + REFUSED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "__main__:Foo",
        "builtins:getattr",
        "torch.storage:_load_from_bytes",
        "posix:system",
        "torch:load"
      })
  void anyGlobalOffTheListIsRefusedInsideATorchZip(String global) throws IOException {
    String[] mn = global.split(":");
    byte[] pkl = PickleBytes.proto2().global(mn[0], mn[1]).op(')').reduce().stop().bytes();
    Path f = PickleBytes.torchZip(tmp.resolve("evil.pt"), pkl, Map.of());
    assertRefused(f, "refused global '" + mn[0] + "." + mn[1] + "' " + REFUSED);
  }

  @Test
  void aStackGlobalOffTheListIsRefusedToo() throws IOException {
    byte[] pkl =
        PickleBytes.proto2()
            .op(0x8c)
            .op(2)
            .raw("os".getBytes(StandardCharsets.US_ASCII))
            .op(0x8c)
            .op(6)
            .raw("system".getBytes(StandardCharsets.US_ASCII))
            .op(0x93)
            .str("echo pwned")
            .op(0x85)
            .reduce()
            .stop()
            .bytes();
    assertRefused(
        PickleBytes.torchZip(tmp.resolve("evil.pt"), pkl, Map.of()),
        "refused global 'os.system' " + REFUSED);
  }

  @Test
  void anOpcodeOffTheListIsRefusedByName() throws IOException {
    // INST: protocol 0's instance opcode, which imports and calls a class
    byte[] pkl =
        PickleBytes.proto2()
            .mark()
            .raw("i os\nsystem\n".getBytes(StandardCharsets.US_ASCII))
            .stop()
            .bytes();
    assertRefused(
        PickleBytes.torchZip(tmp.resolve("inst.pt"), pkl, Map.of()),
        "refused pickle opcode INST (0x69)");
  }

  @Test
  void aStorageLargerThanItsEntryIsRefused() throws IOException {
    byte[] pkl = PickleBytes.stateDict("w", "0", 1_000_000_000L, 1_000_000_000L);
    Path f = PickleBytes.torchZip(tmp.resolve("big.pt"), pkl, Map.of("0", new byte[16]));
    assertRefused(
        f,
        "storage '0' declares 1000000000 float32 elements (4000000000 bytes) but its entry holds 16 bytes");
  }

  @Test
  void aTensorViewPastItsStorageIsRefused() throws IOException {
    byte[] pkl = PickleBytes.stateDict("w", "0", 4, 100);
    Path f = PickleBytes.torchZip(tmp.resolve("view.pt"), pkl, Map.of("0", new byte[16]));
    assertRefused(
        f, "tensor 'w' of size [100], stride [1] and offset 0 reads element 99 of a storage of 4");
  }

  @Test
  void aTensorAboveTheElementLimitIsRefusedBeforeAllocation() throws IOException {
    byte[] pkl = PickleBytes.stateDict("w", "0", 4, 4);
    Path f = PickleBytes.torchZip(tmp.resolve("small.pt"), pkl, Map.of("0", new byte[16]));
    assertThat(WeightFiles.read(f).get("w").size()).isEqualTo(4);
    WeightLimits tight =
        new WeightLimits(
            1 << 20, 10, 3, 1000, 1 << 20, 100, 10_000, 1000, WeightLimits.RECORD_CLASS_PREFIXES);
    assertThatThrownBy(() -> WeightFiles.read(f, tight))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining(
            "tensor 'w' of size [4] has more than 3 elements (WeightLimits.maxTensorElements)");
  }

  @Test
  void tensorsViewingOneStorageOverAndOverAreRefused() throws IOException {
    // a stride-0 view: 10 million floats out of 16 bytes
    byte[] pkl =
        PickleBytes.proto2()
            .orderedDict()
            .str("w")
            .global("torch._utils", "_rebuild_tensor_v2")
            .mark()
            .mark()
            .str("storage")
            .global("torch", "FloatStorage")
            .str("0")
            .str("cpu")
            .integer(4)
            .tuple()
            .op('Q')
            .integer(0)
            .mark()
            .integer(10_000_000)
            .tuple()
            .mark()
            .integer(0)
            .tuple()
            .op(0x89)
            .orderedDict()
            .tuple()
            .reduce()
            .op('s')
            .stop()
            .bytes();
    Path f = PickleBytes.torchZip(tmp.resolve("stride0.pt"), pkl, Map.of("0", new byte[16]));
    assertRefused(f, "storages are shared too often (at most 4 elements per byte)");
  }

  @Test
  void aModuleContainingItselfIsRefused() throws IOException {
    byte[] pkl =
        PickleBytes.proto2()
            .global("torch.nn.modules.container", "Sequential")
            .op(')')
            .op(0x81) // NEWOBJ
            .op('q')
            .op(0)
            .op('}')
            .str("_modules")
            .orderedDict()
            .str("again")
            .op('h')
            .op(0) // the module itself
            .op('s')
            .op('s')
            .op('b') // BUILD
            .stop()
            .bytes();
    Path f = PickleBytes.torchZip(tmp.resolve("cycle.pt"), pkl, Map.of());
    // the keys' prefix grows with each turn: the key-length cap or the depth cap stops it
    assertRefused(
        f,
        "a state-dict key longer than 1024 characters: again.again.",
        "modules nested deeper than 1000 (WeightLimits.maxPickleDepth)");
  }

  @Test
  void tenThousandNestedListsAreRefusedQuickly() throws IOException {
    byte[] pkl = PickleBytes.proto2().ops(']', 10_000).ops('a', 9_999).stop().bytes();
    assertRefused(Files.write(tmp.resolve("lists.pkl"), pkl), "pickle nested deeper than 1000");
    Path zip = PickleBytes.torchZip(tmp.resolve("lists.pt"), pkl, Map.of());
    assertRefused(zip, "pickle nested deeper than 1000");
  }

  @Test
  void tenThousandNestedMarksAndTuplesAreRefusedQuickly() throws IOException {
    byte[] marks = PickleBytes.proto2().ops('(', 10_000).ops('t', 10_000).stop().bytes();
    assertRefused(
        Files.write(tmp.resolve("marks.pkl"), marks), "pickle nested deeper than 1000 MARKs");
    byte[] tuples = PickleBytes.proto2().op(')').ops(0x85, 10_000).stop().bytes();
    assertRefused(Files.write(tmp.resolve("tuples.pkl"), tuples), "pickle nested deeper than 1000");
  }

  @Test
  void aStringLongerThanTheFileIsRefusedBeforeAllocation() throws IOException {
    byte[] pkl = PickleBytes.proto2().op(0x8d).raw(PickleBytes.le(1L << 40, 8)).stop().bytes();
    assertRefused(
        Files.write(tmp.resolve("long.pkl"), pkl),
        "truncated or corrupt: string of 1099511627776 bytes at byte 11 runs past the end of the file (1 bytes left)");
  }

  @Test
  void aPlainPickleOfHarmlessDataIsStillNoWeightFile() throws IOException {
    byte[] pkl = PickleBytes.proto2().op('}').stop().bytes();
    assertRefused(
        Files.write(tmp.resolve("dict.pkl"), pkl),
        "a plain pickle of a dict without PyTorch's magic number");
  }

  @Test
  void safetensorsWithOverlappingTensorsIsRefused() throws IOException {
    String header =
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
    Path f = PickleBytes.safetensors(tmp.resolve("overlap.safetensors"), header, new byte[16]);
    assertRefused(f, "tensors 'a' [0, 8] and 'b' [4, 12] overlap in the safetensors data");
  }

  @Test
  void safetensorsWithOffsetsPastTheDataIsRefused() throws IOException {
    String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}";
    Path f = PickleBytes.safetensors(tmp.resolve("range.safetensors"), header, new byte[16]);
    assertRefused(f, "tensor 'a' has data_offsets [8, 24] outside the 16 data bytes");
  }

  @Test
  void safetensorsWhoseOffsetsDisagreeWithTheShapeIsRefused() throws IOException {
    String header = "{\"a\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,16]}}";
    Path f = PickleBytes.safetensors(tmp.resolve("size.safetensors"), header, new byte[16]);
    assertRefused(
        f, "tensor 'a' of shape [4] and dtype float16 needs 8 bytes, its data_offsets give 16");
  }

  @Test
  void aTwoGibibyteSafetensorsHeaderIsRefusedBeforeAllocation() throws IOException {
    byte[] b = new byte[64];
    System.arraycopy(PickleBytes.le(2L << 30, 8), 0, b, 0, 8);
    b[8] = '{';
    Path f = Files.write(tmp.resolve("header.safetensors"), b);
    assertRefused(f, "safetensors header length 2147483648 exceeds the file (64 bytes)");
    WeightLimits small =
        new WeightLimits(
            1L << 40, 10, 1000, 16, 1 << 20, 100, 10_000, 1000, WeightLimits.RECORD_CLASS_PREFIXES);
    assertThatThrownBy(() -> WeightFiles.read(DIR.resolve("tiny.safetensors"), small))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("(WeightLimits.maxHeaderBytes)");
  }

  @Test
  void malformedSafetensorsJsonIsRefusedInOneLine() throws IOException {
    Path f = PickleBytes.safetensors(tmp.resolve("bad.safetensors"), "{\"a\": [1,", new byte[0]);
    assertRefused(f, "malformed safetensors header");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"tiny_zip.pt", "tiny_legacy.pt", "tiny.safetensors", "xrv_module_legacy.pt"})
  void aTruncatedFileIsRefused(String name) throws IOException {
    byte[] whole = Files.readAllBytes(DIR.resolve(name));
    for (int keep : new int[] {whole.length / 2, whole.length - 3}) {
      Path f = Files.write(tmp.resolve("cut-" + keep + "-" + name), Arrays.copyOf(whole, keep));
      assertRefused(
          f, "truncated", "not a readable zip archive", "exceeds the file", "outside the");
    }
  }

  @Test
  void emptyAndForeignFilesAreRefused() throws IOException {
    assertRefused(
        Files.write(tmp.resolve("empty.pt"), new byte[0]),
        "not a PyTorch (zip or legacy) or safetensors weight file (0 bytes");
    assertRefused(
        Files.writeString(tmp.resolve("text.pt"), "hello, weights"),
        "not a PyTorch (zip or legacy) or safetensors weight file");
    assertThatThrownBy(() -> WeightFiles.read(tmp.resolve("missing.pt")))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("missing.pt")
        .hasMessageContaining("weight file is missing");
  }

  // ---- the parts ----

  @Test
  void halfPrecisionBecomesFloatExactlyForEveryBitPattern() {
    for (int h = 0; h < 1 << 16; h++) {
      int exp = (h >>> 10) & 0x1f;
      int mant = h & 0x3ff;
      double sign = (h & 0x8000) != 0 ? -1 : 1;
      float got = DType.halfToFloat((short) h);
      if (exp == 0x1f) {
        assertThat(mant == 0 ? Float.isInfinite(got) : Float.isNaN(got)).as("0x%04x", h).isTrue();
      } else {
        double want =
            exp == 0
                ? sign * mant * Math.pow(2, -24)
                : sign * (1 + mant / 1024.0) * Math.pow(2, exp - 15);
        assertThat(Float.floatToIntBits(got))
            .as("0x%04x", h)
            .isEqualTo(Float.floatToIntBits((float) want));
      }
    }
  }

  @Test
  void aTensorIsImmutableAndChecksItsShape() {
    float[] v = {1, 2, 3, 4, 5, 6};
    Tensor t = new Tensor("w", new long[] {2, 3}, v, "float32");
    v[0] = 9;
    t.values()[1] = 9;
    assertThat(t.values()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(t.shapeText()).isEqualTo("[2, 3]");
    assertThat(t.size()).isEqualTo(6);
    assertThat(t)
        .isEqualTo(new Tensor("w", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}, "float32"));
    assertThat(t.toString()).isEqualTo("w float32 [2, 3]");
    assertThatThrownBy(() -> new Tensor("w", new long[] {4}, v, "float32"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tensor w: shape [4] holds 4 values, not 6");
  }

  // ---- helpers ----

  /** Refused with a one-line CxrDataException naming the file and one of the reasons. */
  private static void assertRefused(Path file, String... reasons) {
    long start = System.nanoTime();
    assertThatThrownBy(() -> WeightFiles.read(file))
        .isInstanceOf(CxrDataException.class)
        .hasMessageStartingWith(file + ": ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").containsAnyOf(reasons));
    assertThat((System.nanoTime() - start) / 1e9).as("seconds to refuse " + file).isLessThan(2.0);
  }

  private static void assertMatches(StateDict sd, JsonNode want) {
    assertThat(sd.keys()).isEqualTo(strings(want.get("keys")));
    for (String k : sd.keys()) {
      assertTensor(sd.get(k), want.get("tensors").get(k));
    }
  }

  private static void assertTensor(Tensor t, JsonNode want) {
    assertThat(t.dtype()).as(t.name()).isEqualTo(want.get("dtype").asText());
    List<Long> shape = new ArrayList<>();
    want.get("shape").forEach(n -> shape.add(n.asLong()));
    assertThat(t.shape())
        .as(t.name())
        .containsExactly(shape.stream().mapToLong(Long::longValue).toArray());
    JsonNode values = want.get("values");
    float[] got = t.values();
    assertThat(got).as(t.name()).hasSize(values.size());
    for (int i = 0; i < got.length; i++) {
      float w = (float) values.get(i).asDouble();
      assertThat(Float.floatToRawIntBits(got[i]))
          .as("%s[%d]: %s vs %s", t.name(), i, got[i], w)
          .isEqualTo(Float.floatToRawIntBits(w));
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
