package io.steadfast.inbox;

/** What a worker thread is doing, as /health/detailed and the worker registry show it. */
public enum WorkerStatus {
    STARTING("starting"),
    RUNNING("running"),
    IDLE("idle"),
    PAUSED("paused"),
    WAITING_FOR_DATABASE("waiting for database"),
    BACKING_OFF("backing off after error"),
    STOPPED("stopped");

    private final String label;

    WorkerStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
