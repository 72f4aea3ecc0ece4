package dev.berth.core.image.registry;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/** Go's wording for failed requests, which the docker CLI prints: {@code Get "http://h/v2/": <reason>}. */
final class Http {

  private Http() {}

  static String describe(String method, URI uri, IOException e) {
    return goMethod(method) + " \"" + uri + "\": " + reason(uri, e);
  }

  static String goMethod(String method) {
    return method.charAt(0) + method.substring(1).toLowerCase(Locale.ROOT);
  }

  private static String reason(URI uri, IOException e) {
    String host = uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80);
    if (e instanceof ConnectException) {
      return "dial tcp " + host + ": connect: connection refused";
    }
    if (e instanceof HttpConnectTimeoutException) {
      return "dial tcp " + host + ": i/o timeout";
    }
    if (e instanceof ClosedChannelException || e.getMessage() == null) {
      return "EOF";
    }
    if (e instanceof javax.net.ssl.SSLException) {
      return "tls: " + e.getMessage();
    }
    return e.getMessage();
  }
}
