package dev.cxr.core.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.io.CxrDataException;
import dev.cxr.resnet.ResNets;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Model files from anyone: each hostile file is refused in one line naming the file and entry. */
class HostileModelFileTest {
  @TempDir static Path dir;
  static Path model;
  static ComputationGraph network;
  static Map<String, byte[]> entries;

  /** Sets {@link #deserialised} when any ObjectInputStream reads it. */
  static final class Tripwire implements Serializable {
    private static final long serialVersionUID = 1L;
    static volatile boolean deserialised;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      deserialised = true;
    }
  }

  @BeforeAll
  static void aRealModel() throws IOException {
    network = ResNets.builder().depth(18).width(4).inputShape(1, 32, 32).classes(2).build();
    model = dir.resolve("model.zip");
    ModelFile.write(model, network, ModelFileTest.sample(), true);
    entries = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(model.toFile())) {
      for (ZipEntry e : zip.stream().toList()) {
        entries.put(e.getName(), zip.getInputStream(e).readAllBytes());
      }
    }
  }

  @Test
  void aRealModelStillLoadsWithAndWithoutItsUpdater() {
    // a single model has every entry but the ensemble section
    assertThat(entries.keySet())
        .containsExactlyElementsOf(
            ModelZip.ENTRIES.stream().filter(e -> !e.equals(ModelFile.ENSEMBLE_ENTRY)).toList());
    ModelFile.Contents back = ModelFile.read(model, true);
    assertThat(back.network().params()).isEqualTo(network.params());
    assertThat(back.network().getUpdater().getStateViewArray())
        .isEqualTo(network.getUpdater().getStateViewArray());
    assertThat(back.info()).isEqualTo(ModelFileTest.sample());
    assertThat(ModelFile.read(model, false).network().params()).isEqualTo(network.params());
  }

  @Test
  void aSerialisedPreprocessorIsRefusedUnread() throws Exception {
    HashMap<String, Object> payload = new HashMap<>();
    payload.put("x", new Tripwire());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(payload);
    }
    Path hostile = zip("preprocessor.zip", with("preprocessor.bin", bytes.toByteArray()));
    Tripwire.deserialised = false;
    assertThatThrownBy(() -> ModelFile.read(hostile, false))
        .isInstanceOf(CxrDataException.class)
        .hasMessage(
            hostile
                + ": entry preprocessor.bin: not part of a cxr model (it holds only"
                + " configuration.json, coefficients.bin, updaterState.bin, cxr-model.json,"
                + " cxr-ensemble.json);"
                + " refused unread");
    assertThatThrownBy(() -> ModelFile.readInfo(hostile)).hasMessageContaining("preprocessor.bin");
    assertThat(Tripwire.deserialised).isFalse();
    // the tripwire works: DL4J's own reader deserialises the entry before anything else
    try {
      ModelSerializer.restoreComputationGraph(hostile.toFile(), false);
    } catch (RuntimeException expected) {
      // a HashMap is no DataSetPreProcessor
    }
    assertThat(Tripwire.deserialised).isTrue();
  }

  @Test
  void normalizerEntriesAreRefusedToo() throws IOException {
    Path hostile = zip("normalizer.zip", with("normalizer.bin", new byte[10]));
    assertThatThrownBy(() -> ModelFile.read(hostile, true))
        .hasMessageContaining("entry normalizer.bin: not part of a cxr model");
  }

  @Test
  @Timeout(20)
  void anEntryInflatingToGigabytesIsStoppedAtItsCap() throws IOException {
    long gigabytes = 2L << 30;
    Path honest = dir.resolve("bomb.zip");
    long compressed = writeWithZeros(honest, ModelZip.CONFIGURATION, gigabytes);
    assertThat(compressed).isLessThan(12L << 20);
    assertThatThrownBy(() -> ModelFile.read(honest, false))
        .isInstanceOf(CxrDataException.class)
        .hasMessage(
            honest
                + ": entry configuration.json: declares 2147483648 bytes, over its cap of 8388608");
    // the same entry with a central directory that claims the real coefficients' size
    Path liar = honest; // patched in place: one bomb on disk at a time
    Files.write(
        liar,
        patchDeclaredSize(
            Files.readAllBytes(honest),
            ModelZip.CONFIGURATION,
            entries.get(ModelZip.CONFIGURATION).length));
    long start = System.nanoTime();
    assertThatThrownBy(() -> ModelFile.read(liar, false))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining(liar + ": entry configuration.json: inflates past its cap of 8388608")
        .hasMessageContaining("refused as a zip bomb or a corrupt file");
    assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    Files.delete(liar);
  }

  @Test
  void oneHundredMegabytesOfMetadataAreRefusedBySize() throws IOException {
    Path big = dir.resolve("big-metadata.zip");
    writeWithZeros(big, ModelFile.METADATA_ENTRY, 100L << 20);
    assertThatThrownBy(() -> ModelFile.readInfo(big))
        .hasMessage(
            big + ": entry cxr-model.json: declares 104857600 bytes, over its cap of 8388608");
    Path liar = dir.resolve("lying-metadata.zip");
    Files.write(liar, patchDeclaredSize(Files.readAllBytes(big), ModelFile.METADATA_ENTRY, 2000));
    assertThatThrownBy(() -> ModelFile.readInfo(liar))
        .hasMessageStartingWith(liar + ": entry cxr-model.json: inflates past its cap of 8388608");
  }

  @Test
  void aTruncatedModelIsOneLine() throws IOException {
    byte[] whole = Files.readAllBytes(model);
    Path half = dir.resolve("half.zip");
    Files.write(half, Arrays.copyOf(whole, whole.length / 2));
    assertThatThrownBy(() -> ModelFile.read(half, false))
        .isInstanceOf(CxrDataException.class)
        .hasMessageStartingWith(half + ": not a cxr model (not a zip file, or truncated")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void hostileConfigurationsAreRefusedBeforeDl4jBindsThem() throws IOException {
    Path deep = zip("deep.zip", with(ModelZip.CONFIGURATION, "[".repeat(100_000).getBytes()));
    assertThatThrownBy(() -> ModelFile.read(deep, false))
        .hasMessage(deep + ": entry configuration.json: JSON nested deeper than 64");
    String conf = new String(entries.get(ModelZip.CONFIGURATION), StandardCharsets.UTF_8);
    String foreign = conf.replace("org.nd4j.linalg.learning.config.Adam", "java.util.HashMap");
    Path type = zip("type.zip", with(ModelZip.CONFIGURATION, foreign.getBytes()));
    assertThatThrownBy(() -> ModelFile.read(type, false))
        .hasMessage(
            type
                + ": entry configuration.json: type java.util.HashMap is not a DL4J, ND4J or cxr"
                + " class; refused");
  }

  @Test
  void anArrayHeaderClaimingATerabyteIsRefusedBeforeAllocation() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF("LONG_SHAPE");
      out.writeLong(8);
      out.writeUTF("LONG");
      for (int i = 0; i < 8; i++) {
        out.writeLong(1);
      }
      out.writeUTF("MIXED_DATA_TYPES");
      out.writeLong(1L << 40);
      out.writeUTF("FLOAT");
    }
    Path huge = zip("huge-array.zip", with(ModelZip.COEFFICIENTS, bytes.toByteArray()));
    assertThatThrownBy(() -> ModelFile.read(huge, false))
        .hasMessage(
            huge
                + ": entry coefficients.bin: array header (FLOAT x 1099511627776) does not fit"
                + " this network");
    byte[] cut = entries.get(ModelZip.COEFFICIENTS);
    Path short_ = zip("short.zip", with(ModelZip.COEFFICIENTS, Arrays.copyOf(cut, cut.length / 2)));
    assertThatThrownBy(() -> ModelFile.read(short_, false))
        .hasMessage(short_ + ": entry coefficients.bin: truncated");
    byte[] longer = Arrays.copyOf(cut, cut.length + (1 << 20)); // real array, then 1 MB of zeros
    Path trailing = zip("trailing.zip", with(ModelZip.COEFFICIENTS, longer));
    assertThatThrownBy(() -> ModelFile.read(trailing, false))
        .hasMessage(
            trailing
                + ": entry coefficients.bin: declares "
                + longer.length
                + " bytes, but this network needs at most "
                + (ModelZip.ARRAY_HEADER_BYTES + 8 * network.numParams()));
    Files.write(
        trailing,
        patchDeclaredSize(Files.readAllBytes(trailing), ModelZip.COEFFICIENTS, cut.length));
    assertThatThrownBy(() -> ModelFile.read(trailing, false))
        .hasMessageStartingWith(
            trailing
                + ": entry coefficients.bin: inflates past its cap of "
                + (ModelZip.ARRAY_HEADER_BYTES + 8 * network.numParams()));
  }

  private static Map<String, byte[]> with(String name, byte[] content) {
    Map<String, byte[]> m = new LinkedHashMap<>(entries);
    m.put(name, content);
    return m;
  }

  private static Path zip(String name, Map<String, byte[]> content) throws IOException {
    Path file = dir.resolve(name);
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      for (Map.Entry<String, byte[]> e : content.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
      }
    }
    return file;
  }

  /** The real model with one entry replaced by {@code size} zeros; returns the file's size. */
  private static long writeWithZeros(Path file, String name, long size) throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      zip.setLevel(Deflater.BEST_SPEED);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        if (e.getKey().equals(name)) {
          writeZeros(zip, size);
        } else {
          zip.write(e.getValue());
        }
      }
    }
    return Files.size(file);
  }

  private static void writeZeros(OutputStream out, long size) throws IOException {
    byte[] zeros = new byte[1 << 20];
    for (long left = size; left > 0; left -= zeros.length) {
      out.write(zeros, 0, (int) Math.min(left, zeros.length));
    }
  }

  /** Rewrites an entry's uncompressed size in the central directory (what ZipFile believes). */
  private static byte[] patchDeclaredSize(byte[] zip, String name, long size) {
    ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
    for (int i = zip.length - 46; i >= 0; i--) {
      if (b.getInt(i) == 0x02014b50 && b.getShort(i + 28) == wanted.length) {
        byte[] found = Arrays.copyOfRange(zip, i + 46, i + 46 + wanted.length);
        if (Arrays.equals(found, wanted)) {
          b.putInt(i + 24, (int) size);
          return zip;
        }
      }
    }
    throw new AssertionError("no central directory record for " + name);
  }
}
