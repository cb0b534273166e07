package dev.cxr.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins the exact pixels the pipeline produces for fixed seeds, so that a refactoring cannot
 * silently change the augmentation a saved seed reproduces. The hashes were recorded from the
 * release before the step-list refactoring; a change here means old training runs no longer replay
 * bit for bit, which must be a deliberate, documented decision.
 */
class AugmentationGoldenTest {
  private static final int W = 48;
  private static final int H = 40;
  private static final long[][] SAMPLES = {{0, 0}, {0, 1}, {3, 17}, {-1, 123_456_789_012L}};

  /** Every transform on; the flip and the 0.7 probability make the firing pattern vary. */
  static CxrAugmentation allOn() {
    return CxrAugmentation.builder()
        .rotation(15)
        .zoom(0.8, 1.2)
        .translation(0.1)
        .blur(1.5)
        .brightness(0.2)
        .contrast(0.2)
        .gamma(0.7, 1.4)
        .noise(0.05)
        .randomErasing(0.2)
        .horizontalFlipUnsafe(0.5)
        .probability(0.7)
        .seed(7)
        .build();
  }

  /** Every transform fires on every sample, so each one's draws are pinned. */
  static CxrAugmentation allAlways() {
    return allOn().toBuilder().probability(1).horizontalFlipUnsafe(1).build();
  }

  static Map<String, CxrAugmentation> configs() {
    Map<String, CxrAugmentation> m = new LinkedHashMap<>();
    m.put("medicalSafe", CxrAugmentation.medicalSafe());
    m.put("seedArticle", CxrAugmentation.seedArticle());
    m.put("allOn", allOn());
    m.put("allAlways", allAlways());
    return m;
  }

  static Map<String, GrayImage> images() {
    Map<String, GrayImage> m = new LinkedHashMap<>();
    m.put("random", Patterns.random(W, H, 11));
    m.put("ramp", Patterns.ramp(W, H, 0.8f / W, 0.15f / H, 0.05f));
    m.put("blob", blob());
    return m;
  }

  /** An off-centre bright disc on a dark, slightly graded background: asymmetric both ways. */
  private static GrayImage blob() {
    float[] p = new float[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        double dx = x - 14.5;
        double dy = y - 12.0;
        p[y * W + x] = (float) (dx * dx + dy * dy < 64 ? 0.9 : 0.1 + 0.004 * x);
      }
    }
    return GrayImage.of(W, H, p);
  }

  static String sha256(float[] px) {
    ByteBuffer buf = ByteBuffer.allocate(4 * px.length);
    for (float v : px) {
      buf.putInt(Float.floatToRawIntBits(v));
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(buf.array()));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Hash of every (configuration, image, epoch, sample) output, keyed by a readable name. */
  static Map<String, String> compute() {
    Map<String, String> out = new LinkedHashMap<>();
    configs()
        .forEach(
            (cname, aug) ->
                images()
                    .forEach(
                        (iname, img) -> {
                          for (int k = 0; k < SAMPLES.length; k++) {
                            long[] s = SAMPLES[k];
                            float[] px = aug.apply(img.toArray(), W, H, s[0], s[1]);
                            out.put(cname + "/" + iname + "/" + k, sha256(px));
                          }
                        }));
    return out;
  }

  /**
   * SHA-256 of the big-endian float bits of each output, keyed {@code configuration/image/sample}
   * (the sample's index in {@link #SAMPLES}). Recorded from the unmodified first release (commit
   * 8d0ff05) before the step-list refactoring, by running this test with an empty table.
   */
  private static final String GOLDEN =
      """
      medicalSafe/random/0 824411279a0b2101f1c285719abdbe2093626bf9cd2c56922dd2260e09c3c73f
      medicalSafe/random/1 38f616ac1d62c0282fea025094ee74c675e3e8fa48c07efd0753a37d117475f1
      medicalSafe/random/2 54d23eb188cedaabf8682024daa74ee9f7a71143898dd6dfcd4f35aed4eda770
      medicalSafe/random/3 d3dd1b795d124823796d0311a54f7ff6a90ac4007c1f3cbd66740882c4aaa8be
      medicalSafe/ramp/0 ad4d55bd0420e580a4b623cb61f6b4b807189acdabb0c2e2e05396c84e093285
      medicalSafe/ramp/1 5afc7b1b338b1f2b3c68354397d62a648f607706c3d19c02620d7e429394faae
      medicalSafe/ramp/2 58e5cd7a192758521214931f231b0ca0ba5d98990643b261c914a4d963f660d5
      medicalSafe/ramp/3 43279746496c5f32654d50a84fd10a889294dfdba9e3c3f5a96433cf864bcd71
      medicalSafe/blob/0 b4e59ac1ba2e1c0130d93803ab7f24a25ea1389faae659b114dc8167f1f64e08
      medicalSafe/blob/1 24f416a48e41f14f09bb9bb4d333995df4ca44a5f54d8eb332e1608ff8f157c0
      medicalSafe/blob/2 7573afcdb4b32609bc0671191c507e56518b8e0ccd32663f715fd7e38febd005
      medicalSafe/blob/3 d8f133b4587579d6f7838b21c4517086b6e862b3a3879a6b1bc4819ce61f3389
      seedArticle/random/0 13135958ef69d9735114542ab24c3dcdb55d4dfab9743cb0dc0165171bc7948b
      seedArticle/random/1 48798e3c64e1b56e7f94e65600402b3614cd8d4d9bf8b53a2928697595c5d2f5
      seedArticle/random/2 13135958ef69d9735114542ab24c3dcdb55d4dfab9743cb0dc0165171bc7948b
      seedArticle/random/3 13135958ef69d9735114542ab24c3dcdb55d4dfab9743cb0dc0165171bc7948b
      seedArticle/ramp/0 36ee0c61b051e905085c03e10c031118af096fee1ded5360385cd48dec57dd12
      seedArticle/ramp/1 ba018e93f11bd0554168801e2c37a041f4d1255ed33bfdde3b7209fa3610e974
      seedArticle/ramp/2 36ee0c61b051e905085c03e10c031118af096fee1ded5360385cd48dec57dd12
      seedArticle/ramp/3 36ee0c61b051e905085c03e10c031118af096fee1ded5360385cd48dec57dd12
      seedArticle/blob/0 4cc8fa8df09157f53030838d0f88b0102105433100713d0e4131f7799d4a4e43
      seedArticle/blob/1 0eb911a8684a97e37ae89c905ab7ba67a0e374126fc72a1f2f759344a150fc2b
      seedArticle/blob/2 4cc8fa8df09157f53030838d0f88b0102105433100713d0e4131f7799d4a4e43
      seedArticle/blob/3 4cc8fa8df09157f53030838d0f88b0102105433100713d0e4131f7799d4a4e43
      allOn/random/0 6e1d02d33bb19b0a00737fc22fcdc422b53f0cc658d48effafd20a91cf85c2af
      allOn/random/1 f9d683ae20667ed4f061cfd496e3afec165267634410f6ae6d9c6ba14c64facf
      allOn/random/2 826679d3bbd539c8a7864d27c1249b69ad88dfecee87522e765de0c2212afed6
      allOn/random/3 5af8dd12e928f30a788335271bf5b4020776d3ed9e9f854030a04581d4f518f9
      allOn/ramp/0 a71d844510e9e53d56acfbe27c10e4c9d7f2a27fd3ae2168e83eee74dd6adf5b
      allOn/ramp/1 58fd34e6769ad89031ee1d8c518cb9ae7ca62fcf5c12105634ae63747fc5c7ce
      allOn/ramp/2 7a76ebadeb4e98f6e68afdcca7c6700d2fd47f93226cb0df4fef32707046c5ce
      allOn/ramp/3 5cca80072ab33307b4a559da5145b3486c5f08da81427ce360897a86eac62b63
      allOn/blob/0 a03182c6c1fe349db4cc6baea8df41934774a1ac4d732bd94f6388ad94c831ae
      allOn/blob/1 f48b663b57ef7e4a5b220c7237d85b8ee42d1214921305bcf26a11cde4606944
      allOn/blob/2 414cfabaedb199a5c35f46af9e5801b857b9e8968f8278bce68694b9c685fbd8
      allOn/blob/3 890ce3d31ba5af254ab0d8ccaeed6926b4ed54e9af1af515da959a843b749cf1
      allAlways/random/0 504000c3c6971912149801439f4f9b7315077a1fe054bf64a6d2c16426e3fddf
      allAlways/random/1 faaff39bd479eb2bf101c3941b4fdc5c55c81fff823ce834eecd2a4b6e5d3ecc
      allAlways/random/2 958f1669aade8357a2d944c7da98b579a47fe1eea4fe17a72cd17fdf8630e9d6
      allAlways/random/3 345a9b90fb67ff272ad40c9f12838ffc5867756611d7b406785d3813007c11d1
      allAlways/ramp/0 e30429b6254020a9abdab930859cf0ad817037346a74fe3efb763a866151dece
      allAlways/ramp/1 866141d3bb69202e1e7eaf8010bf224982f4aff413e3875bfade78ceeec14876
      allAlways/ramp/2 aa6148b37816266e28cff02078afe48d47566fbf394830534011ead806619138
      allAlways/ramp/3 34297379cc162320abcaee9d74a45def6548d5be7bc6653f39f44ee525f569f3
      allAlways/blob/0 52fd953e54c40132fde08a5a0a5bcc9ec24d9f06640af2ebac1ce4756bd1429e
      allAlways/blob/1 3f556e5c3061b5cd822394244b3285894db754aab2e53077a26978734d4c8b65
      allAlways/blob/2 e2e483ba4ae070293a0ffe7cea1739d6fbbdf7296668993016925551fb21828b
      allAlways/blob/3 412cd7cc853b53e5b4954da4c242c1816ab614f577841230f60e768f589bfb24
      """;

  private static Map<String, String> golden() {
    Map<String, String> m = new LinkedHashMap<>();
    GOLDEN.lines().map(l -> l.split(" ")).forEach(kv -> m.put(kv[0], kv[1]));
    return m;
  }

  @Test
  void outputsAreBitIdenticalToTheRecordedRelease() {
    Map<String, String> actual = compute();
    Map<String, String> golden = golden();
    if (!actual.equals(golden)) {
      // print the table so a deliberate change can be re-recorded after review
      StringBuilder sb = new StringBuilder();
      actual.forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
      System.out.println("GOLDEN-TABLE\n" + sb);
    }
    assertThat(actual).containsExactlyEntriesOf(golden);
  }

  @Test
  void descriptionAndFlatParametersAreThoseOfTheFirstRelease() {
    CxrAugmentation all = allOn();
    assertThat(all.describe())
        .isEqualTo(
            "CxrAugmentation{seed=7, probability=0.7, rotation=15, zoom=[0.8, 1.2],"
                + " translation=0.1, brightness=0.2, contrast=0.2, gamma=[0.7, 1.4], noise=0.05,"
                + " blur=1.5, randomErasing=0.2, horizontalFlipUnsafe=0.5}");
    assertThat(all.parameters())
        .containsExactly(
            entry("seed", 7L),
            entry("probability", 0.7),
            entry("rotation", 15.0),
            entry("zoomMin", 0.8),
            entry("zoomMax", 1.2),
            entry("translation", 0.1),
            entry("brightness", 0.2),
            entry("contrast", 0.2),
            entry("gammaMin", 0.7),
            entry("gammaMax", 1.4),
            entry("noise", 0.05),
            entry("blur", 1.5),
            entry("randomErasing", 0.2),
            entry("horizontalFlipUnsafe", 0.5));
    assertThat(CxrAugmentation.none().describe())
        .isEqualTo(
            "CxrAugmentation{seed=42, probability=0.5, rotation=0, zoom=[1, 1], translation=0,"
                + " brightness=0, contrast=0, gamma=[1, 1], noise=0, blur=0, randomErasing=0,"
                + " horizontalFlipUnsafe=0}");
  }
}
