package dev.berth.core.build;

import java.util.ArrayList;
import java.util.List;

/** How an instruction's arguments are split before they are expanded (buildkit's line parsers). */
final class InstructionArgs {


  private InstructionArgs() {}

  /** Whitespace-separated words, quotes kept (buildkit's parseWords), for the expander to take apart. */
  static List<String> words(String s) {
    var out = new ArrayList<String>();
    var w = new StringBuilder();
    char quote = 0;
    boolean escaped = false;
    for (int k = 0; k < s.length(); k++) {
      char ch = s.charAt(k);
      if (escaped) {
        w.append(ch);
        escaped = false;
        continue;
      }
      if (quote == 0 && Character.isWhitespace(ch)) {
        if (!w.isEmpty()) {
          out.add(w.toString());
          w.setLength(0);
        }
        continue;
      }
      if (ch == '\\' && quote != '\'') {
        escaped = true;
        w.append(ch);
        continue;
      }
      if (quote == 0 && (ch == '"' || ch == '\'')) {
        quote = ch;
      } else if (ch == quote) {
        quote = 0;
      }
      w.append(ch);
    }
    if (!w.isEmpty()) {
      out.add(w.toString());
    }
    return out;
  }
}
