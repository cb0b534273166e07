package dev.cxr.core.report;

import java.util.Locale;

/** Escaping and number formatting for the report; every string reaches the page through here. */
final class Html {
  private Html() {}

  /**
   * Escapes text for an HTML element body or a quoted attribute value.
   *
   * @param s any text (null gives the empty string)
   * @return the text with {@code & < > " '} escaped
   */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> {
          // control characters other than tab and newline have no place in a page
          if (c < 0x20 && c != '\t' && c != '\n') {
            sb.append('\uFFFD');
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  /** A number with {@code digits} decimals, or an en dash for NaN. */
  static String num(double v, int digits) {
    return Double.isNaN(v) ? "\u2013" : String.format(Locale.ROOT, "%." + digits + "f", v);
  }
}
