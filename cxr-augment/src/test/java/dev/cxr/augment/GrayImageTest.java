package dev.cxr.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.FloatBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class GrayImageTest {

  @Test
  void ofCopiesTheArrayAndKeepsRowMajorLayout() {
    float[] p = {0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f};
    GrayImage img = GrayImage.of(3, 2, p);
    p[0] = 9f;
    assertThat(img.get(0, 0)).isEqualTo(0f);
    assertThat(img.get(2, 0)).isEqualTo(0.2f);
    assertThat(img.get(0, 1)).isEqualTo(0.3f);
    assertThat(img.width()).isEqualTo(3);
    assertThat(img.height()).isEqualTo(2);
  }

  @Test
  void toArrayIsACopyAndPixelsIsReadOnly() {
    GrayImage img = GrayImage.of(2, 1, new float[] {0.25f, 0.75f});
    float[] copy = img.toArray();
    copy[0] = 1f;
    assertThat(img.get(0, 0)).isEqualTo(0.25f);
    FloatBuffer view = img.pixels();
    assertThat(view.get(1)).isEqualTo(0.75f);
    assertThatThrownBy(() -> view.put(0, 1f)).isInstanceOf(ReadOnlyBufferException.class);
    float[] dest = new float[5];
    img.copyTo(dest, 3);
    assertThat(dest).containsExactly(0f, 0f, 0f, 0.25f, 0.75f);
  }

  @Test
  void rejectsBadShapes() {
    assertThatThrownBy(() -> GrayImage.of(3, 2, new float[5]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pixels length must be width*height = 6 but was 5");
    assertThatThrownBy(() -> GrayImage.of(0, 2, new float[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("width");
    assertThatThrownBy(() -> GrayImage.of(2, -1, new float[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("height");
    assertThatThrownBy(() -> GrayImage.of(2, 2, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> GrayImage.filled(2, 2, 0f).get(2, 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void equalityIsByValue() {
    GrayImage a = GrayImage.of(2, 1, new float[] {0.25f, 0.75f});
    GrayImage b = GrayImage.of(2, 1, new float[] {0.25f, 0.75f});
    GrayImage c = GrayImage.of(1, 2, new float[] {0.25f, 0.75f});
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
    assertThat(a.toString()).isEqualTo("GrayImage[2x1]");
  }
}
