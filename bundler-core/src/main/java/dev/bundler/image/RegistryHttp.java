package dev.bundler.image;

import dev.bundler.EnvironmentException;
import dev.bundler.Parameter;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * GET requests to a registry (or its token service) under jib-core's rules for credentials:
 *
 * <ul>
 *   <li>plain HTTP only with {@code allowInsecureRegistries}, and then never with an {@code
 *       Authorization} header unless the user opted in to sending credentials over HTTP;
 *   <li>self-signed certificates only with {@code allowInsecureRegistries};
 *   <li>a redirect is followed only to the origin (scheme, host and port) it came from, so that
 *       the header reaches no other host; one to anywhere else fails the request.
 * </ul>
 */
final class RegistryHttp {
  private static final int MAX_REDIRECTS = 5;

  private final HttpClient client;
  private final boolean allowInsecure;
  private final boolean sendCredentialsOverHttp;

  RegistryHttp(boolean allowInsecure, boolean sendCredentialsOverHttp) throws EnvironmentException {
    this.client = client(allowInsecure);
    this.allowInsecure = allowInsecure;
    this.sendCredentialsOverHttp = sendCredentialsOverHttp;
  }

  /** Whether {@code authorization} would be sent to {@code uri}. */
  boolean sendsCredentialsTo(URI uri) {
    return isHttps(uri) || sendCredentialsOverHttp;
  }

  /**
   * GETs {@code uri}, with {@code authorization} when {@link #sendsCredentialsTo} allows it,
   * following redirects on its own origin.
   *
   * @throws EnvironmentException for plain HTTP without {@code allowInsecureRegistries}, or a
   *     redirect to another origin
   */
  HttpResponse<String> get(URI uri, String authorization)
      throws EnvironmentException, IOException, InterruptedException {
    URI current = uri;
    for (int redirects = 0; ; redirects++) {
      if (!isHttps(current) && !allowInsecure) {
        throw new EnvironmentException("Refused to reach " + withoutQuery(current) + " over plain "
            + "HTTP: set " + Parameter.ALLOW_INSECURE_REGISTRIES.withValue("true") + " for a "
            + "registry without TLS");
      }
      HttpRequest.Builder request = HttpRequest.newBuilder(current)
          .timeout(Duration.ofSeconds(30)).header("Accept", "application/json").GET();
      if (authorization != null && sendsCredentialsTo(current)) {
        request.header("Authorization", authorization);
      }
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      boolean redirect = status == 301 || status == 302 || status == 303 || status == 307
          || status == 308;
      if (!redirect) {
        return response;
      }
      String location = response.headers().firstValue("Location").orElse(null);
      if (location == null || redirects == MAX_REDIRECTS) {
        throw new EnvironmentException(withoutQuery(uri) + " answered " + status + " "
            + (location == null ? "without a Location" : "after " + MAX_REDIRECTS + " redirects"));
      }
      URI next = current.resolve(location);
      if (!sameOrigin(current, next)) {
        throw new EnvironmentException(withoutQuery(current) + " redirected to another host ("
            + origin(next) + "): bundler follows a registry's redirects only on its own host, "
            + "so that its login reaches no other. Check the registry's address");
      }
      current = next;
    }
  }

  /** Whether {@code a} and {@code b} have the same scheme, host and port. */
  static boolean sameOrigin(URI a, URI b) {
    return origin(a).equals(origin(b));
  }

  /** {@code scheme://host:port}, the port made explicit. */
  static String origin(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    return scheme + "://" + host + ":" + port;
  }

  static boolean isHttps(URI uri) {
    return "https".equalsIgnoreCase(uri.getScheme());
  }

  /** A URL for messages: a query may carry a token service's parameters. */
  static String withoutQuery(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
  }

  private static HttpClient client(boolean allowInsecure) throws EnvironmentException {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER);
    if (allowInsecure) {
      try {
        SSLContext context = SSLContext.getInstance("TLS");
        // An extended manager, so that the JDK adds no host name check either: a local
        // registry's self-signed certificate seldom names the address it is reached at.
        context.init(null, new TrustManager[] {new X509ExtendedTrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String type) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String type) {}

          @Override
          public void checkClientTrusted(X509Certificate[] chain, String type, Socket socket) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String type, Socket socket) {}

          @Override
          public void checkClientTrusted(X509Certificate[] chain, String type, SSLEngine engine) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String type, SSLEngine engine) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        }}, null);
        builder.sslContext(context);
      } catch (GeneralSecurityException e) {
        throw new EnvironmentException("Cannot set up TLS: " + e.getMessage(), e);
      }
    }
    return builder.build();
  }
}
