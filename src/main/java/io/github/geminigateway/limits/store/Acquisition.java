package io.github.geminigateway.limits.store;

import java.util.Arrays;

/**
 * A store's answer to a set of charges: whether it took them, and each counter's level, in the order of the charges.
 * When taken, a level is what remains after the charge; when refused, it is what the counter held, which says how
 * long the caller has to wait. A level can be negative: that is debt left by an answer that used more tokens than
 * were reserved for it.
 */
public record Acquisition(boolean taken, double[] levels) {

    public Acquisition {
        levels = levels.clone();
    }

    public double level(int index) {
        return levels[index];
    }

    @Override
    public double[] levels() {
        return levels.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Acquisition that && taken == that.taken && Arrays.equals(levels, that.levels);
    }

    @Override
    public int hashCode() {
        return 31 * Boolean.hashCode(taken) + Arrays.hashCode(levels);
    }

    @Override
    public String toString() {
        return "Acquisition[taken=" + taken + ", levels=" + Arrays.toString(levels) + "]";
    }
}
