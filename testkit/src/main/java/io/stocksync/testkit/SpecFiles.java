package io.stocksync.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the vendors' own API specifications ({@code shared/specs/<channel>/...}) that tests use to
 * check emulators and connectors against the real services' contracts.
 *
 * <p>The specifications live beside the project, not in it: the folder {@code shared/specs} is
 * looked up in the parent of the working directory and of each of its ancestors, so a test finds
 * it from any module. Where it is absent, the calling test is skipped with a message; when the
 * environment variable {@code CI} is {@code true}, a missing file fails the test instead, because
 * CI always has the folder and a silent skip there would hide a broken check.
 *
 * <p>Thread-safe: it only reads the file system.
 */
public final class SpecFiles {
  private SpecFiles() {}

  /**
   * Returns the path of one specification file, skipping or failing the calling test when it
   * cannot be found.
   *
   * @param relative the path below {@code shared/specs}, for example {@code
   *     "etsy/etsy_openapi_v3.json"}
   * @return the existing file
   * @throws org.opentest4j.TestAbortedException (skips the test) when the file is absent and
   *     {@code CI} is not {@code true}
   * @throws AssertionError when the file is absent and {@code CI} is {@code true}
   */
  public static Path require(String relative) {
    @Nullable Path found = find(relative);
    if (found != null) {
      return found;
    }
    String message =
        "vendor spec shared/specs/" + relative + " not found above " + workingDirectory()
            + "; the check against the vendor's own specification did not run";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message + " (CI=true: the folder must be there)");
    }
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }

  /**
   * Looks a specification file up without skipping or failing.
   *
   * @param relative the path below {@code shared/specs}
   * @return the existing file, or null when it is absent
   */
  public static @Nullable Path find(String relative) {
    for (Path dir = workingDirectory(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("specs").resolve(relative);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static Path workingDirectory() {
    return Paths.get(System.getProperty("user.dir")).toAbsolutePath().normalize();
  }
}
