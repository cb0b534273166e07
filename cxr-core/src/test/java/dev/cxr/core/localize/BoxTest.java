package dev.cxr.core.localize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BoxTest {
  static final Box TEN = new Box(0, 0, 10, 10);

  @Test
  void partialOverlap() {
    Box b = new Box(5, 5, 10, 10);
    assertThat(TEN.intersectionArea(b)).isEqualTo(25);
    assertThat(b.intersectionArea(TEN)).isEqualTo(25);
    assertThat(TEN.iou(b)).isEqualTo(25.0 / 175);
    assertThat(TEN.iobb(b)).isEqualTo(0.25);
    // IoBB is not symmetric: the detected box is the denominator
    Box wide = new Box(5, 0, 20, 10);
    assertThat(TEN.iobb(wide)).isEqualTo(50.0 / 200);
    assertThat(wide.iobb(TEN)).isEqualTo(50.0 / 100);
  }

  @Test
  void containedBoxHasIobbOneInsideAndItsShareOutside() {
    Box small = new Box(2, 2, 2, 5);
    assertThat(TEN.intersectionArea(small)).isEqualTo(10);
    assertThat(TEN.iobb(small)).isEqualTo(1.0);
    assertThat(small.iobb(TEN)).isEqualTo(0.1);
    assertThat(TEN.iou(small)).isEqualTo(0.1);
  }

  @Test
  void identicalBoxes() {
    Box same = new Box(0, 0, 10, 10);
    assertThat(TEN.intersectionArea(same)).isEqualTo(100);
    assertThat(TEN.iou(same)).isEqualTo(1.0);
    assertThat(TEN.iobb(same)).isEqualTo(1.0);
  }

  @Test
  void disjointAndEdgeOrCornerTouchingBoxesDoNotIntersect() {
    for (Box other :
        new Box[] {
          new Box(20, 20, 5, 5), // apart
          new Box(10, 0, 5, 5), // shares the right edge
          new Box(0, 10, 5, 5), // shares the bottom edge
          new Box(10, 10, 5, 5), // shares a corner
          new Box(-5, 3, 5, 2) // shares the left edge
        }) {
      assertThat(TEN.intersectionArea(other)).as("%s", other).isZero();
      assertThat(TEN.iou(other)).as("%s", other).isZero();
      assertThat(TEN.iobb(other)).as("%s", other).isZero();
    }
  }

  @Test
  void fractionalBoxes() {
    Box a = new Box(0.5, 0.25, 1.5, 1.0); // [0.5, 2) x [0.25, 1.25)
    Box b = new Box(1.0, 1.0, 2.0, 2.0); // [1, 3) x [1, 3)
    assertThat(a.intersectionArea(b)).isCloseTo(1.0 * 0.25, within(1e-12));
    assertThat(a.iou(b)).isCloseTo(0.25 / (1.5 + 4 - 0.25), within(1e-12));
  }

  @Test
  void containsTheLeftAndTopEdgesButNotTheRightAndBottom() {
    Box b = new Box(3, 4, 3, 2); // columns 3..5, rows 4..5
    assertThat(b.contains(3, 4)).isTrue();
    assertThat(b.contains(5.999, 5.999)).isTrue();
    assertThat(b.contains(6, 4)).isFalse();
    assertThat(b.contains(3, 6)).isFalse();
    assertThat(b.contains(2.999, 4)).isFalse();
    assertThat(b.contains(3, 3.999)).isFalse();
    assertThat(b.right()).isEqualTo(6);
    assertThat(b.bottom()).isEqualTo(6);
  }

  @Test
  void distanceToTheBox() {
    assertThat(TEN.distanceTo(5, 5)).isZero();
    assertThat(TEN.distanceTo(10, 10)).isZero();
    assertThat(TEN.distanceTo(13, 5)).isEqualTo(3);
    assertThat(TEN.distanceTo(-3, -4)).isEqualTo(5);
  }

  @Test
  void scaling() {
    Box b = new Box(225.084745762712, 547.019216763771, 86.7796610169491, 79.1864406779661);
    assertThat(b.scaled(0.25))
        .isEqualTo(
            new Box(
                225.084745762712 / 4,
                547.019216763771 / 4,
                86.7796610169491 / 4,
                79.1864406779661 / 4));
    assertThat(new Box(10, 20, 30, 40).scaled(0.5, 2)).isEqualTo(new Box(5, 40, 15, 80));
    assertThat(b.scaled(0.25).area()).isCloseTo(b.area() / 16, within(1e-9));
  }

  @Test
  void badArgumentsNameTheParameter() {
    assertThatThrownBy(() -> new Box(0, 0, 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("width must be finite and > 0 but was 0.0");
    assertThatThrownBy(() -> new Box(0, 0, 1, -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("height must be finite and > 0 but was -2.0");
    assertThatThrownBy(() -> new Box(Double.NaN, 0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("x must be finite");
    assertThatThrownBy(() -> new Box(0, Double.POSITIVE_INFINITY, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("y must be finite");
    assertThatThrownBy(() -> new Box(0, 0, Double.POSITIVE_INFINITY, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("width");
    assertThatThrownBy(() -> TEN.scaled(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("factor");
    assertThatThrownBy(() -> TEN.scaled(1, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("sy");
    assertThatThrownBy(() -> TEN.iobb(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("detected");
  }
}
