package dev.berth.core.image.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235), e.g.
 * {@code Bearer realm="https://auth.example/token",service="registry.example"}.
 *
 * @param scheme lowercase: {@code basic} or {@code bearer} (others are ignored by callers)
 * @param params parameter names lowercase, values unquoted
 */
record Challenge(String scheme, Map<String, String> params) {

  Challenge {
    params = Map.copyOf(params);
  }

  String param(String name) {
    return params.getOrDefault(name, "");
  }

  /**
   * All challenges of one header value. Tolerant as distribution's parser is: unknown schemes
   * are kept, a malformed parameter ends that challenge.
   */
  static List<Challenge> parse(String header) {
    var out = new ArrayList<Challenge>();
    if (header == null) {
      return out;
    }
    int i = 0;
    int n = header.length();
    while (i < n) {
      i = skipSpaceAndCommas(header, i);
      int start = i;
      while (i < n && isToken(header.charAt(i))) {
        i++;
      }
      if (i == start) {
        break;
      }
      String scheme = header.substring(start, i).toLowerCase(Locale.ROOT);
      var params = new LinkedHashMap<String, String>();
      while (true) {
        int save = i;
        i = skipSpace(header, i);
        if (i < n && header.charAt(i) == ',') {
          i = skipSpace(header, i + 1);
        }
        int ks = i;
        while (i < n && isToken(header.charAt(i))) {
          i++;
        }
        String key = header.substring(ks, i).toLowerCase(Locale.ROOT);
        int eq = skipSpace(header, i);
        if (key.isEmpty() || eq >= n || header.charAt(eq) != '=') {
          // Not a parameter: the next challenge's scheme, or the end.
          i = save;
          break;
        }
        i = skipSpace(header, eq + 1);
        var value = new StringBuilder();
        if (i < n && header.charAt(i) == '"') {
          i++;
          while (i < n && header.charAt(i) != '"') {
            char c = header.charAt(i);
            if (c == '\\' && i + 1 < n) {
              c = header.charAt(++i);
            }
            value.append(c);
            i++;
          }
          i++;
        } else {
          // Unquoted values (token68 and sloppy URLs alike) run to the next comma or space.
          while (i < n && header.charAt(i) != ',' && header.charAt(i) != ' ' && header.charAt(i) != '\t') {
            value.append(header.charAt(i++));
          }
        }
        params.put(key, value.toString());
      }
      out.add(new Challenge(scheme, params));
      if (i == start) {
        break;
      }
    }
    return out;
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static int skipSpaceAndCommas(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == ',')) {
      i++;
    }
    return i;
  }

  private static boolean isToken(char c) {
    return c > ' ' && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
  }
}
