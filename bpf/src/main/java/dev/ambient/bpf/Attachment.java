package dev.ambient.bpf;

import dev.ambient.sys.BpfLink;
import dev.ambient.sys.TcFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One program on one device, through a tcx link (pinned) or, on kernels before 6.6, a clsact filter. */
sealed interface Attachment permits Attachment.Tcx, Attachment.Clsact {

    /** Takes the program off the device. */
    void detach();

    /** Lets go of our handle; the program stays attached (a pinned link, or a tc filter). */
    void release();

    record Tcx(BpfLink link, Path pin) implements Attachment {
        @Override
        public void detach() {
            try {
                Files.deleteIfExists(pin);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot unpin " + pin + ": " + e.getMessage(), e);
            }
            link.close();
        }

        @Override
        public void release() {
            link.close();
        }
    }

    record Clsact(TcFilter filter) implements Attachment {
        @Override
        public void detach() {
            filter.detach();
        }

        @Override
        public void release() {
            // a tc filter has no handle to let go of
        }
    }
}
