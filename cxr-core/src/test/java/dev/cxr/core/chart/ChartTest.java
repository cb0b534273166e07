package dev.cxr.core.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.chart.Chart.Axis;
import dev.cxr.core.chart.Chart.Marker;
import dev.cxr.core.chart.Chart.Stroke;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ChartTest {
  private static final Axis UNIT_X = Axis.linear("x", 0, 1);
  private static final Axis UNIT_Y = Axis.linear("y", 0, 1);

  private static Document parse(String svg) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static int count(String s, String regex) {
    Matcher m = Pattern.compile(regex).matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void theSvgIsWellFormedStandaloneAndEscapesEveryText() throws Exception {
    String svg =
        Chart.builder("<b>AUC</b> & 'more'", Axis.linear("x \"rate\"", 0, 1), UNIT_Y)
            .line(
                "a < b",
                new double[] {0, 1},
                new double[] {0, 1},
                "#1f77b4",
                Stroke.SOLID,
                Marker.NONE)
            .build()
            .toSvg();
    Document d = parse(svg); // throws on markup broken by an unescaped character
    assertThat(d.getDocumentElement().getTagName()).isEqualTo("svg");
    assertThat(d.getDocumentElement().getAttribute("aria-label")).isEqualTo("<b>AUC</b> & 'more'");
    assertThat(svg).contains("&lt;b&gt;AUC&lt;/b&gt; &amp;").contains("a &lt; b");
    // styles are attributes: nothing for a stylesheet to supply, no ids to collide in a page
    assertThat(svg).doesNotContain("class=\"ct\"").doesNotContain(" id=").contains("font-size=");
    // the marks sit in the one nested, clipping <svg>
    assertThat(d.getElementsByTagName("svg").getLength()).isEqualTo(2);
  }

  @Test
  void aNonFiniteValueBreaksALineAndEmptyLabelsStayOutOfTheLegend() {
    String svg =
        Chart.builder("t", Axis.linear("x", 0, 4), UNIT_Y)
            .line(
                "",
                new double[] {0, 1, 2, 3, 4},
                new double[] {0.1, 0.2, Double.NaN, 0.4, 0.5},
                "#123456",
                Stroke.DASHED,
                Marker.NONE)
            .band(
                "band",
                new double[] {0, 4},
                new double[] {0.1, 0.2},
                new double[] {0.3, 0.4},
                "#2ca02c")
            .build()
            .toSvg();
    Matcher path = Pattern.compile("stroke=\"#123456\"[^>]* d=\"([^\"]*)\"").matcher(svg);
    assertThat(path.find()).isTrue();
    assertThat(count(path.group(1), "M")).isEqualTo(2); // two pieces around the NaN
    assertThat(path.group(0)).contains("stroke-dasharray");
    assertThat(count(svg, ">band</text>")).isEqualTo(1);
    // one legend row: the band's swatch and text; the unlabelled line has none
    assertThat(count(svg, "fill-opacity=\"0.3\"")).isEqualTo(1);
    assertThat(count(svg, "font-size=\"12\" fill=\"#222222\"")).isEqualTo(1);
  }

  @Test
  void markersAndALogAxisAreDrawn() {
    Chart c =
        Chart.builder("lr", Axis.logarithmic("rate", 1e-6, 1), UNIT_Y)
            .line(
                "loss",
                new double[] {1e-6, 1e-3, 1},
                new double[] {0.5, 0.4, 0.9},
                "#1f77b4",
                Stroke.SOLID,
                Marker.SQUARE)
            .points(
                "pick",
                new double[] {1e-3},
                new double[] {0.4},
                new double[] {6},
                "#c0392b",
                Marker.DIAMOND)
            .rule("", 1e-3, "#c0392b")
            .build();
    assertThat(SvgWriter.ticks(Axis.logarithmic("rate", 1e-6, 1)))
        .containsExactly(1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0);
    assertThat(SvgWriter.tickLabel(1e-6, true)).isEqualTo("1e-6");
    assertThat(SvgWriter.tickLabel(0.01, true)).isEqualTo("0.01");
    assertThat(SvgWriter.tickLabel(0.250, false)).isEqualTo("0.25");
    assertThat(SvgWriter.ticks(Axis.linear("auc", 0.4, 1))).containsExactly(0.4, 0.6, 0.8, 1.0);
    assertThat(SvgWriter.ticks(Axis.linear("epoch", 0.5, 10.5)))
        .containsExactly(2.0, 4.0, 6.0, 8.0, 10.0);
    String svg = c.toSvg();
    // 1e-3 sits half way along the log axis (x=64 to 702): the diamond and the rule at 383
    assertThat(svg).contains("<path d=\"M383.0 263.0 L390.8 270.8").doesNotContain("NaN");
    assertThat(count(svg, "<rect x=\"[^\"]*\" y=\"[^\"]*\" width=\"7.2\"")).isEqualTo(3 + 1);
    assertThat(svg).contains("M383.0 ");
    assertThat(svg).contains(">1e-6</text>").contains(">1</text>");
  }

  @Test
  void badDescriptionsAreRefusedNamingWhatIsWrong() {
    assertThatThrownBy(() -> Axis.linear("auc", 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("axis 'auc'");
    assertThatThrownBy(() -> Axis.logarithmic("rate", 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive min");
    assertThatThrownBy(() -> Chart.builder("t", UNIT_X, Axis.logarithmic("y", 1, 10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be linear");
    Chart.Builder b = Chart.builder("t", UNIT_X, UNIT_Y);
    assertThatThrownBy(
            () ->
                b.line(
                    "roc",
                    new double[] {0, 1},
                    new double[] {0},
                    "#000000",
                    Stroke.SOLID,
                    Marker.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 'roc'")
        .hasMessageContaining("same length");
    assertThatThrownBy(
            () ->
                b.line(
                    "roc",
                    new double[] {0},
                    new double[] {0},
                    "red\" onload=\"x",
                    Stroke.SOLID,
                    Marker.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("colour must be #rrggbb");
    assertThatThrownBy(
            () ->
                b.points(
                    "p",
                    new double[] {0},
                    new double[] {0},
                    new double[] {0},
                    "#000000",
                    Marker.CIRCLE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("radius[0]");
    assertThatThrownBy(() -> b.rule("r", Double.NaN, "#000000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rule 'r'");
    assertThatThrownBy(() -> b.size(100, 400))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("width");
    // what was refused left no mark behind
    assertThat(b.build().marks()).isEmpty();
    assertThat(List.of(b.build().width(), b.build().height()))
        .containsExactly(Chart.WIDTH, Chart.HEIGHT);
  }
}
