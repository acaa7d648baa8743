package io.stocksync.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocksync.core.InvalidInputException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardingChannelConnectorTest {

  /** A wrapper that adds nothing: every call must reach the wrapped connector. */
  static final class Plain extends ForwardingChannelConnector {
    Plain(ChannelConnector delegate) {
      super(delegate);
    }
  }

  @Test
  void everyConnectorMethod_includingTheOptionalOnes_reachesTheWrappedConnector() throws Exception {
    List<String> reached = new ArrayList<>();
    ChannelConnector recording = (ChannelConnector) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {ChannelConnector.class},
        (proxy, method, args) -> {
          reached.add(method.getName());
          return defaultValue(method.getReturnType());
        });
    ChannelConnector wrapper = new Plain(recording);

    List<String> expected = new ArrayList<>();
    for (Method m : ChannelConnector.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      expected.add(m.getName());
      Object[] args = new Object[m.getParameterCount()];
      for (int i = 0; i < args.length; i++) {
        args[i] = sample(m.getParameterTypes()[i]);
      }
      m.invoke(wrapper, args);
    }

    assertThat(reached).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aNullDelegate_isRefused() {
    assertThatThrownBy(() -> new Plain(null)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("delegate");
  }

  private static Object sample(Class<?> type) {
    if (type == int.class) {
      return 1;
    }
    if (type == String.class) {
      return "x";
    }
    if (type == ChannelCall.class) {
      return ChannelCall.PUSH;
    }
    return null;
  }

  private static Object defaultValue(Class<?> type) {
    if (type == boolean.class) {
      return false;
    }
    if (type == java.util.Optional.class) {
      return java.util.Optional.empty();
    }
    return null;
  }
}
