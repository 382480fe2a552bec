package io.steadfast.load;

import picocli.CommandLine.Command;

/** {@code steadfast load}: benchmarks. */
@Command(name = "load", mixinStandardHelpOptions = true, description = "Benchmarks (not yet built).")
public final class LoadCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("load is not built yet");
    }
}
