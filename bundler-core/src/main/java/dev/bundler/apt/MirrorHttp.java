package dev.bundler.apt;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP GET of a repository file. A mirror URL's {@code USER:PASSWORD@} is sent as HTTP Basic
 * credentials, never as part of the requested URL, and only to the mirror's own scheme, host and
 * port: redirects are followed here (to any host, as mirrors redirect to their CDN), with the
 * credentials kept for the mirror.
 */
final class MirrorHttp {
  private static final int MAX_REDIRECTS = 5;

  /**
   * The client, made at the first request: making one sets up TLS (0.2 s), which a build that
   * asks the archive nothing never needs.
   */
  private static final class Client {
    static final HttpClient CLIENT = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(20))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  private MirrorHttp() {}

  /**
   * A response whose body is open.
   *
   * @param etag the {@code ETag} header, or {@code null}
   * @param lastModified the {@code Last-Modified} header, or {@code null}
   */
  record Response(int status, InputStream body, String etag, String lastModified) {}

  /** GETs {@code uri} with extra request {@code headers}, following redirects. */
  static Response get(URI uri, Map<String, String> headers) throws IOException {
    String authorization = authorization(uri);
    URI origin = withoutUserInfo(uri);
    URI current = origin;
    for (int hop = 0; ; hop++) {
      HttpRequest.Builder request = HttpRequest.newBuilder(current).timeout(Duration.ofMinutes(5))
          .header("User-Agent", "bundler");
      headers.forEach(request::header);
      if (authorization != null && sameOrigin(current, origin)) {
        request.header("Authorization", authorization);
      }
      HttpResponse<InputStream> response;
      try {
        response = Client.CLIENT.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      } catch (IllegalArgumentException e) {
        throw new IOException(e.getMessage(), e);
      }
      int status = response.statusCode();
      String location = response.headers().firstValue("Location").orElse(null);
      if (status / 100 == 3 && status != 304 && location != null) {
        response.body().close();
        if (hop == MAX_REDIRECTS) {
          throw new IOException("more than " + MAX_REDIRECTS + " redirects");
        }
        current = withoutUserInfo(current.resolve(location.strip()));
        continue;
      }
      return new Response(status, response.body(),
          response.headers().firstValue("ETag").orElse(null),
          response.headers().firstValue("Last-Modified").orElse(null));
    }
  }

  /** {@code Basic ...} for the URL's user info, or {@code null} when it has none. */
  static String authorization(URI uri) {
    String userInfo = uri.getUserInfo();
    if (userInfo == null || userInfo.isEmpty()) {
      return null;
    }
    return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code uri} without {@code USER:PASSWORD@}. */
  static URI withoutUserInfo(URI uri) {
    return uri.getRawUserInfo() == null ? uri
        : URI.create(uri.toString().replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1"));
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost() != null && a.getHost().toLowerCase(Locale.ROOT)
            .equals(b.getHost() == null ? null : b.getHost().toLowerCase(Locale.ROOT))
        && port(a) == port(b);
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }
}
