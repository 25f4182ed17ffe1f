package dev.bundler.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import dev.bundler.BundlerException;
import dev.bundler.EnvironmentException;
import dev.bundler.InvalidInputException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The tags of a repository in a registry ({@code GET /v2/NAME/tags/list}, following {@code Link}
 * pages), logged in with HTTP basic credentials or the bearer token the registry's challenge asks
 * for. jib-core has no public call for this.
 */
public final class RegistryTags {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CHALLENGE_PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  private final RegistryLogins logins;
  private final boolean allowInsecure;

  public RegistryTags(Map<String, RegistryCredentials> credentials, boolean allowInsecure) {
    this.logins = new RegistryLogins(credentials);
    this.allowInsecure = allowInsecure;
  }

  /**
   * The tags of the repository {@code reference} names (any tag or digest in it is ignored),
   * sorted.
   *
   * @throws InvalidInputException for a bad reference, an unknown repository or a refused login
   * @throws EnvironmentException when the registry cannot be reached
   */
  public List<String> list(String reference) throws BundlerException {
    ImageReference image;
    try {
      image = ImageReference.parse(reference);
    } catch (InvalidImageReferenceException e) {
      throw new InvalidInputException("bundler.image", "'" + reference + "' is not a valid image "
          + "reference: set -Dbundler.image to a repository such as HOST:PORT/team/app", e);
    }
    String registry = image.getRegistry();
    String repository = image.getRepository();
    HttpClient client = client();
    List<String> schemes = allowInsecure ? List.of("https", "http") : List.of("https");
    EnvironmentException unreachable = null;
    for (String scheme : schemes) {
      try {
        return fetch(client, URI.create(scheme + "://" + registry + "/v2/" + repository
            + "/tags/list"), registry, repository);
      } catch (IOException e) {
        unreachable = new EnvironmentException("Cannot reach the registry " + registry + " ("
            + scheme + "): " + e.getMessage() + ". Check its address"
            + (allowInsecure ? "" : "; for plain HTTP or a self-signed certificate set "
                + "-Dbundler.allowInsecureRegistries=true"), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EnvironmentException("Interrupted while listing the tags of " + reference, e);
      }
    }
    throw unreachable;
  }

  private List<String> fetch(HttpClient client, URI first, String registry, String repository)
      throws BundlerException, IOException, InterruptedException {
    TreeSet<String> tags = new TreeSet<>();
    String authorization = null;
    URI next = first;
    while (next != null) {
      HttpResponse<String> response = get(client, next, authorization);
      if (response.statusCode() == 401 && authorization == null) {
        authorization = authorize(client, response, registry, repository);
        response = get(client, next, authorization);
      }
      if (response.statusCode() == 401 || response.statusCode() == 403) {
        throw refused(registry, repository);
      }
      if (response.statusCode() == 404) {
        throw new InvalidInputException("bundler.image", "The registry " + registry + " has no "
            + "repository " + repository + ": check -Dbundler.image (or -Dbundler.namespace)");
      }
      if (response.statusCode() != 200) {
        throw new EnvironmentException("The registry " + registry + " answered "
            + response.statusCode() + " to " + next);
      }
      JsonNode list = JSON.readTree(response.body()).path("tags");
      list.forEach(tag -> tags.add(tag.asText()));
      next = response.headers().firstValue("Link").map(link -> {
        Matcher m = NEXT.matcher(link);
        return m.find() ? first.resolve(m.group(1)) : null;
      }).orElse(null);
    }
    return new ArrayList<>(tags);
  }

  /** The Authorization header the registry's challenge asks for, from the configured login. */
  private String authorize(HttpClient client, HttpResponse<String> challenged, String registry,
      String repository) throws BundlerException, IOException, InterruptedException {
    RegistryCredentials login = logins.forRegistry(registry);
    String basic = login == null ? null : "Basic " + Base64.getEncoder().encodeToString(
        (login.username() + ":" + login.password()).getBytes(StandardCharsets.UTF_8));
    String challenge = challenged.headers().firstValue("WWW-Authenticate").orElse("");
    if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
      if (basic == null) {
        throw refused(registry, repository);
      }
      return basic;
    }
    if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
      throw refused(registry, repository);
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    Matcher m = CHALLENGE_PARAMETER.matcher(challenge);
    while (m.find()) {
      parameters.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
    }
    String realm = parameters.get("realm");
    if (realm == null) {
      throw new EnvironmentException("The registry " + registry + " asked for a token without a realm");
    }
    StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?')
        .append("scope=").append(encode("repository:" + repository + ":pull"));
    if (parameters.containsKey("service")) {
      url.append("&service=").append(encode(parameters.get("service")));
    }
    HttpResponse<String> token = get(client, URI.create(url.toString()), basic);
    if (token.statusCode() != 200) {
      throw refused(registry, repository);
    }
    JsonNode body = JSON.readTree(token.body());
    String value = body.hasNonNull("token") ? body.get("token").asText()
        : body.path("access_token").asText(null);
    if (value == null) {
      throw new EnvironmentException("The token service of " + registry + " returned no token");
    }
    return "Bearer " + value;
  }

  private InvalidInputException refused(String registry, String repository) {
    return logins.refused(registry + "/" + repository, "to list the tags of", "bundler.image", null);
  }

  private static HttpResponse<String> get(HttpClient client, URI uri, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json").GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private HttpClient client() throws EnvironmentException {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL);
    if (allowInsecure) {
      try {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String type) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String type) {}

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
