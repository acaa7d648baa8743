package io.stocksync.testkit.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketOption;
import javax.net.ServerSocketFactory;
import jdk.net.ExtendedSocketOptions;
import org.jspecify.annotations.Nullable;

/**
 * Server sockets tuned for many small request/response exchanges over loopback.
 *
 * <p>Accepted connections get {@code TCP_NODELAY}, so the server's separate writes of headers and
 * body are not held back by Nagle's algorithm. Clients such as OkHttp do not set {@code
 * TCP_NODELAY} either, so their last write of a request waits for the server's ACK, which Linux
 * delays by about 40 ms; where the platform supports {@code TCP_QUICKACK}, the server re-arms it
 * before every read so the ACK goes out at once. Without both, every exchange stalls for 40 to 80
 * ms and a 160-request refresh takes seconds instead of milliseconds.
 *
 * <p>Shared by the emulators and the benchmarks; not part of the testkit's supported API.
 */
public final class NoDelayServerSocketFactory extends ServerSocketFactory {
  /** Creates the factory. */
  public NoDelayServerSocketFactory() {}

  @Override
  public ServerSocket createServerSocket() throws IOException {
    return new NoDelayServerSocket();
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    ServerSocket socket = new NoDelayServerSocket();
    socket.bind(new InetSocketAddress(port));
    return socket;
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog) throws IOException {
    ServerSocket socket = new NoDelayServerSocket();
    socket.bind(new InetSocketAddress(port), backlog);
    return socket;
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog, InetAddress address)
      throws IOException {
    ServerSocket socket = new NoDelayServerSocket();
    socket.bind(new InetSocketAddress(address, port), backlog);
    return socket;
  }

  private static final class NoDelayServerSocket extends ServerSocket {
    NoDelayServerSocket() throws IOException {
      super();
    }

    @Override
    public Socket accept() throws IOException {
      if (isClosed()) {
        throw new java.net.SocketException("Socket is closed");
      }
      if (!isBound()) {
        throw new java.net.SocketException("Socket is not bound yet");
      }
      QuickAckSocket socket = new QuickAckSocket();
      implAccept(socket);
      socket.setTcpNoDelay(true);
      return socket;
    }
  }

  /** A socket that asks for an immediate ACK before each read, where supported. */
  private static final class QuickAckSocket extends Socket {
    private static final @Nullable SocketOption<Boolean> QUICK_ACK = quickAckOption();

    private @Nullable InputStream in;

    QuickAckSocket() {
      super();
    }

    private static @Nullable SocketOption<Boolean> quickAckOption() {
      try (Socket probe = new Socket()) {
        return probe.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK)
            ? ExtendedSocketOptions.TCP_QUICKACK
            : null;
      } catch (IOException | RuntimeException | LinkageError e) {
        return null;
      }
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      InputStream raw = super.getInputStream();
      if (QUICK_ACK == null) {
        return raw;
      }
      if (in == null) {
        in = new QuickAckInputStream(raw, this, QUICK_ACK);
      }
      return in;
    }
  }

  private static final class QuickAckInputStream extends FilterInputStream {
    private final Socket socket;
    private final SocketOption<Boolean> quickAck;

    QuickAckInputStream(InputStream in, Socket socket, SocketOption<Boolean> quickAck) {
      super(in);
      this.socket = socket;
      this.quickAck = quickAck;
    }

    @Override
    public int read() throws IOException {
      armQuickAck();
      return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      armQuickAck();
      return super.read(b, off, len);
    }

    private void armQuickAck() {
      try {
        socket.setOption(quickAck, true);
      } catch (IOException | RuntimeException e) {
        // Best effort: the exchange still works, only slower.
      }
    }
  }
}
