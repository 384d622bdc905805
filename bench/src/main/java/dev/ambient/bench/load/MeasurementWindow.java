package dev.ambient.bench.load;

/**
 * Told when recording starts and ends, so that per-process CPU time is taken over exactly the
 * recorded part of a run. Called from a control thread, never from an event loop.
 */
public interface MeasurementWindow {

    /** A window that measures nothing. */
    MeasurementWindow NONE = new MeasurementWindow() {
        @Override
        public void opened() {}

        @Override
        public void closed() {}
    };

    /** Tells both windows, {@code first} first. */
    static MeasurementWindow both(MeasurementWindow first, MeasurementWindow second) {
        return new MeasurementWindow() {
            @Override
            public void opened() {
                first.opened();
                second.opened();
            }

            @Override
            public void closed() {
                first.closed();
                second.closed();
            }
        };
    }

    /** The first recorded request is due now. */
    void opened();

    /** The last request is due now. */
    void closed();
}
