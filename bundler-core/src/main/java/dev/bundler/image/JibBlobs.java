package dev.bundler.image;

import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.blob.Blob;
import com.google.cloud.tools.jib.blob.BlobDescriptor;
import dev.bundler.layer.Digests;
import dev.bundler.layer.Layer;
import dev.bundler.layer.VerifiedBlobs;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestException;

/** bundler's blobs in the form jib-core's registry client sends them. */
final class JibBlobs {
  private JibBlobs() {}

  static DescriptorDigest descriptor(String digest) {
    try {
      return DescriptorDigest.fromDigest(digest);
    } catch (DigestException e) {
      throw new IllegalArgumentException("not a sha256 digest: " + digest, e);
    }
  }

  /** A cached layer blob, checked against its digest as it is sent. */
  static Blob layer(Layer layer) {
    return new Blob() {
      @Override
      public BlobDescriptor writeTo(OutputStream out) throws IOException {
        VerifiedBlobs.copy(layer, out);
        return new BlobDescriptor(layer.size(), descriptor(layer.digest()));
      }

      @Override
      public boolean isRetryable() {
        return true;
      }
    };
  }

  /** Bytes bundler holds in memory (an image config, a cache record). */
  static Blob bytes(byte[] bytes) {
    byte[] copy = bytes.clone();
    return new Blob() {
      @Override
      public BlobDescriptor writeTo(OutputStream out) throws IOException {
        out.write(copy);
        return new BlobDescriptor(copy.length, descriptor("sha256:" + Digests.sha256Hex(copy)));
      }

      @Override
      public boolean isRetryable() {
        return true;
      }
    };
  }
}
