package dev.berth.core.image;

/** An image's ID: the sha256 of its config JSON, so it equals Docker's for the same image. */
public record ImageId(Digest digest) {

  public static ImageId parse(String s) {
    return new ImageId(Digest.parse(s));
  }

  public String shortId() {
    return digest.shortHex();
  }

  @Override
  public String toString() {
    return digest.toString();
  }
}
