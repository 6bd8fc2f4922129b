import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** e2e/openssh: a listener of the throw-away account on the port given, until killed. */
public final class Listen {
    private Listen() {
    }

    public static void main(String[] args) throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("0.0.0.0", Integer.parseInt(args[0])));
            while (true) {
                s.accept().close();
            }
        }
    }
}
