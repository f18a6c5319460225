package dev.stevedore.scheduler;

/** The resource a {@code binpack} strategy packs by. */
public enum BinpackField {
    CPU("cpu"),
    MEMORY("memory");

    private final String wireName;

    BinpackField(String wireName) {
        this.wireName = wireName;
    }

    /** The field as the API spells it. */
    public String wireName() {
        return wireName;
    }
}
