/**
 * A number as a user types it: an optional sign, digits with an optional point, an optional exponent
 * ("1", "-0.5", ".5", "5e-1"). Not "", "0x10", "1e", "Infinity", "NaN" or surrounding white space, which
 * `Number()` would accept or turn into 0. One definition for the CLI flags, sweep specs, energyAt
 * times and the explorer's fields and link.
 */
export const DECIMAL_SOURCE = '[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?';

/** The whole string is a plain decimal number (DECIMAL_SOURCE). */
export const PLAIN_DECIMAL = new RegExp(`^${DECIMAL_SOURCE}$`);
