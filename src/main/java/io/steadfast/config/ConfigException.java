package io.steadfast.config;

import io.steadfast.error.SteadfastException;

/** A setting is missing or out of range; the message names the setting and the value we got. */
public class ConfigException extends SteadfastException {
    public ConfigException(String message) {
        super("invalid_config", 500, message);
    }
}
