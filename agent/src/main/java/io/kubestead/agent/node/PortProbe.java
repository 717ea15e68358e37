package io.kubestead.agent.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Whether something accepts TCP connections on a port of a node: the kubelet, an API server, an etcd peer. */
public interface PortProbe {
    boolean accepts(String address, int port);

    static PortProbe tcp(Duration timeout) {
        return (address, port) -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
                return true;
            } catch (IOException e) {
                return false;
            }
        };
    }
}
