package dev.stevedore.policy;

/** A statement's Effect. */
public enum Effect { ALLOW, DENY }
