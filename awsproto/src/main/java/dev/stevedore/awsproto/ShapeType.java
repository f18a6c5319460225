package dev.stevedore.awsproto;

import java.util.Locale;

/** The type of a shape in an AWS service model, as named by the model's {@code type} field. */
public enum ShapeType {
    STRUCTURE, LIST, MAP, STRING, INTEGER, LONG, SHORT, BYTE, BOOLEAN, DOUBLE, FLOAT, TIMESTAMP, BLOB,
    BIGINTEGER, BIGDECIMAL, DOCUMENT;

    static ShapeType fromModel(String type) {
        try {
            return valueOf(type.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown shape type '" + type + "'", e);
        }
    }

    /** Whether values are whole numbers. */
    public boolean isIntegral() {
        return this == INTEGER || this == LONG || this == SHORT || this == BYTE || this == BIGINTEGER;
    }

    public boolean isNumeric() {
        return isIntegral() || this == DOUBLE || this == FLOAT || this == BIGDECIMAL;
    }
}
