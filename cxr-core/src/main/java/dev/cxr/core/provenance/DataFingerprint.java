package dev.cxr.core.provenance;

import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.PatientSplit;
import dev.cxr.core.data.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A SHA-256 fingerprint of the data a model was trained on: the relative path, size and label of
 * every training and validation image, in split order. Stored with the model; a resumed run refuses
 * data whose fingerprint differs.
 */
public final class DataFingerprint {
  private DataFingerprint() {}

  /**
   * Fingerprints a split.
   *
   * @param data the data set (paths are taken relative to its directories, so the data may move)
   * @param split the training and validation parts
   * @return 64 hex digits
   */
  public static String of(CxrDataset data, PatientSplit split) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (List<Sample> part : List.of(split.train(), split.validation())) {
        for (Sample s : part) {
          String rel = data.relativeName(s.path());
          long size = Files.size(s.path());
          md.update(
              (rel + "|" + size + "|" + labelText(s) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        md.update((byte) 0);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The binary task's "true"/"false" (as every earlier model recorded), else one bit per finding.
   */
  private static String labelText(Sample s) {
    boolean[] f = s.findings();
    if (f.length == 1) {
      return Boolean.toString(f[0]);
    }
    StringBuilder b = new StringBuilder(f.length);
    for (boolean x : f) {
      b.append(x ? '1' : '0');
    }
    return b.toString();
  }
}
