import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.Transform;

import org.rapaio.org.zeromq.SocketType;
import org.rapaio.org.zeromq.ZContext;
import org.rapaio.org.zeromq.ZMQ;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.LogManager;

/**
 * Starts rapaio-jupyter-kernel 3.0.1 the way its MainApp does, minus a start-up race that can hang it.
 *
 * <p>The kernel binds its five sockets in an unspecified order and only then creates its table of
 * message handlers. A request that reaches the shell socket in between (Jupyter sends
 * kernel_info_request at once) makes the shell thread throw a NullPointerException and die, and the
 * kernel never answers again. Giving the kernel an empty handler table before it connects turns
 * such an early request into an "unhandled" one; Jupyter repeats kernel_info_request every second,
 * and the repeat is answered.
 *
 * <p>Second, now and then the kernel's shell socket never receives a message at all. The launcher
 * probes it with a kernel_info_request of its own and, without an answer, exits, so that a fresh
 * kernel is started instead of one that would never answer — unless the shell has received messages
 * (a client's long cell can keep it from answering the probe in time, and such a kernel works). (A third fault remains: a client that
 * connected during start-up is sometimes never answered; ./lab's notebook runner then starts a
 * fresh kernel, and in Jupyter "Restart kernel" does the same.) Run by the kernelspec as {@code java -cp <kernel jar> KernelLauncher.java <connection file>}.
 */
public class KernelLauncher {

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
            throw new IllegalArgumentException("usage: KernelLauncher <connection file>");
        }
        // The kernel's own log: warnings only (its INFO lines describe every message it handles).
        LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(
                "handlers=java.util.logging.ConsoleHandler\n.level=WARNING\n".getBytes(StandardCharsets.UTF_8)));
        ConnectionProperties props = Transform.fromJson(Files.readString(Path.of(args[0])), ConnectionProperties.class);
        Channels channels = new Channels(props);
        set(channels, "handlers", new ConcurrentHashMap<>());
        channels.connect(MainApp.kernel);
        // Count the messages the shell thread looks up a handler for: a shell that receives messages
        // works, even when it is too busy with a client's long cell to answer the probe in time.
        AtomicInteger received = new AtomicInteger();
        @SuppressWarnings("unchecked")
        Map<Object, Object> handlers = (Map<Object, Object>) get(channels, "handlers");
        set(channels, "handlers", new ConcurrentHashMap<>(handlers) {
            @Override
            public Object get(Object type) {
                received.incrementAndGet();
                return super.get(type);
            }
        });
        if (!shellAnswers(props) && received.get() == 0) {
            // Exiting lets Jupyter (and ./lab's runner) start a fresh kernel instead of waiting forever.
            System.err.println("The kernel's shell socket does not answer; exiting so that a fresh kernel is started.");
            System.exit(75);
        }
        channels.joinUntilClose();
    }

    /**
     * Sends a signed kernel_info_request to the kernel's own shell socket and waits for the reply:
     * about one start in five the kernel's shell socket never receives anything (a fault inside the
     * kernel's ZeroMQ set-up that a new client does not cure), and this is how to tell.
     */
    private static boolean shellAnswers(ConnectionProperties props) throws Exception {
        try (ZContext ctx = new ZContext(1)) {
            ZMQ.Socket probe = ctx.createSocket(SocketType.DEALER);
            probe.setLinger(0);
            probe.connect(props.transport() + "://" + props.ip() + ":" + props.shellPort());
            String header = "{\"msg_id\":\"" + UUID.randomUUID() + "\",\"session\":\"" + UUID.randomUUID()
                    + "\",\"username\":\"launcher\",\"date\":\"" + Instant.now() + "\","
                    + "\"msg_type\":\"kernel_info_request\",\"version\":\"5.3\"}";
            String[] parts = {header, "{}", "{}", "{}"};
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(props.key().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            for (String part : parts) {
                mac.update(part.getBytes(StandardCharsets.UTF_8));
            }
            probe.sendMore("<IDS|MSG>");
            probe.sendMore(HexFormat.of().formatHex(mac.doFinal()));
            for (int i = 0; i < parts.length; i++) {
                if (i < parts.length - 1) {
                    probe.sendMore(parts[i]);
                } else {
                    probe.send(parts[i]);
                }
            }
            probe.setReceiveTimeOut(5000);
            return probe.recv() != null;
        }
    }

    private static Object get(Object target, String field) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(field);
        f.setAccessible(true);
        return f.get(target);
    }

    private static void set(Object target, String field, Object value) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }
}
