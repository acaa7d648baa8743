package io.stocksync.testkit.shopify;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The subset of Shopify's search syntax the emulator understands: clauses joined by {@code AND},
 * each {@code updated_at:OP'ISO-8601'} with OP one of {@code > >= < <=}, or (for variants) {@code
 * product_status:active,draft}. Anything else is rejected so that connector bugs surface.
 */
final class SearchQuery {
  private static final Pattern AND = Pattern.compile("\\s+AND\\s+", Pattern.CASE_INSENSITIVE);
  private static final Pattern CLAUSE = Pattern.compile("([a-z_]+):(>=|<=|>|<)?(.*)");

  private final List<Predicate<Instant>> updatedAt = new ArrayList<>();
  private @Nullable Set<ProductStatus> statuses;

  private SearchQuery() {}

  static SearchQuery parse(@Nullable String query, boolean allowProductStatus)
      throws GraphQlError {
    SearchQuery parsed = new SearchQuery();
    if (query == null || query.isBlank()) {
      return parsed;
    }
    for (String clause : AND.split(query.trim())) {
      Matcher m = CLAUSE.matcher(clause.trim());
      if (!m.matches()) {
        throw unsupported(query);
      }
      String field = m.group(1);
      String op = m.group(2);
      String value = unquote(m.group(3).trim());
      if (field.equals("updated_at") && op != null) {
        parsed.updatedAt.add(comparison(op, instant(value, query)));
      } else if (field.equals("product_status") && op == null && allowProductStatus) {
        Set<ProductStatus> wanted = EnumSet.noneOf(ProductStatus.class);
        for (String name : value.split(",")) {
          try {
            wanted.add(ProductStatus.valueOf(name.trim().toUpperCase(Locale.ROOT)));
          } catch (IllegalArgumentException e) {
            throw GraphQlError.badRequest("Unknown product_status '" + name + "' in: " + query);
          }
        }
        if (parsed.statuses != null) {
          wanted.retainAll(parsed.statuses);
        }
        parsed.statuses = wanted;
      } else {
        throw unsupported(query);
      }
    }
    return parsed;
  }

  boolean matches(Instant updated) {
    for (Predicate<Instant> p : updatedAt) {
      if (!p.test(updated)) {
        return false;
      }
    }
    return true;
  }

  boolean matches(Instant updated, ProductStatus status) {
    return (statuses == null || statuses.contains(status)) && matches(updated);
  }

  private static Predicate<Instant> comparison(String op, Instant bound) {
    return switch (op) {
      case ">" -> t -> t.isAfter(bound);
      case ">=" -> t -> !t.isBefore(bound);
      case "<" -> t -> t.isBefore(bound);
      default -> t -> !t.isAfter(bound);
    };
  }

  private static String unquote(String value) {
    if (value.length() >= 2) {
      char first = value.charAt(0);
      if ((first == '\'' || first == '"') && value.charAt(value.length() - 1) == first) {
        return value.substring(1, value.length() - 1);
      }
    }
    return value;
  }

  private static Instant instant(String value, String query) throws GraphQlError {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      // try the other shapes below
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      // try the other shapes below
    }
    try {
      return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // try the other shapes below
    }
    try {
      return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw GraphQlError.badRequest("Invalid timestamp '" + value + "' in: " + query);
    }
  }

  private static GraphQlError unsupported(String query) {
    return GraphQlError.badRequest("Unsupported search query: " + query);
  }
}
